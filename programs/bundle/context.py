"""What the cross-record rules of a bundle need to know about the parts checked before."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Year:
    name: str
    start: datetime.date
    weeks: int

    @property
    def end(self) -> datetime.date:
        """The first day after the year."""
        return self.start + datetime.timedelta(weeks=self.weeks)

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day < self.end


@dataclass
class Context:
    """Codes and settings gathered from the well-formed parts of a bundle."""

    x_weeks: int | None = None
    y_weeks: int | None = None
    cohorts: int | None = None
    #: Valid academic years; `years_complete` is False when some year had problems, in which
    #: case request weeks are not checked against the years (that would only add noise).
    years: list[Year] = field(default_factory=list)
    years_complete: bool = False
    track_codes: set[str] = field(default_factory=set)
    tracks_checked: bool = False
    rotation_codes: set[str] = field(default_factory=set)
    rotations_checked: bool = False
    has_vacation_rotation: bool = False

    def year_of(self, day: datetime.date) -> Year | None:
        return next((year for year in self.years if year.holds(day)), None)
