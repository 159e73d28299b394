"""The compliance engine's input: plain, frozen facts built by a selector from the database.

Nothing here touches the ORM. Week indices are 0-based from the academic year's start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from compliance.engine.limits import ComplianceSettings
from scheduling import xy
from scheduling.xy import RotationPhase, Setting

YearStatus = Literal["published", "draft", "none"]


@dataclass(frozen=True, slots=True)
class StaffingFacts:
    """Residents of ``pgy`` levels needed on a rotation every week: ``min``..``max``."""

    pgy: frozenset[int]
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, slots=True)
class RotationFacts(xy.SettingFlags):
    code: str
    name: str
    setting: Setting
    phase: RotationPhase = "any"
    staffing: tuple[StaffingFacts, ...] = ()
    max_consecutive_weeks: int | None = None
    min_run_weeks: int | None = None
    intense: bool = False
    experiences: frozenset[str] = frozenset()
    is_clinic: bool = False  # a continuity-clinic rotation: counts clinic sessions

    def __post_init__(self) -> None:
        if self.setting not in xy.SETTINGS:
            raise ValueError(f"Rotation {self.code!r} has unknown setting {self.setting!r}")
        if self.phase not in xy.ROTATION_PHASES:
            raise ValueError(f"Rotation {self.code!r} has unknown phase {self.phase!r}")


@dataclass(frozen=True, slots=True)
class RequirementFacts:
    """Per resident per academic year: weeks on any of ``rotations`` within [min, max]."""

    tracks: frozenset[str] | None  # None: every track
    pgy: frozenset[int]
    rotations: frozenset[str]
    min_weeks: int | None = None
    max_weeks: int | None = None

    def applies_to(self, track: str, pgy: int) -> bool:
        return pgy in self.pgy and (self.tracks is None or track in self.tracks)


@dataclass(frozen=True, slots=True)
class YearFacts:
    """One academic year of the program and the state of its schedule."""

    name: str  # "2027-2028"
    start: date  # a Monday
    weeks: int = 52  # 52 or 53
    status: YearStatus = "published"  # "none": no schedule built yet

    def week_start(self, week: int) -> date:
        return self.start + timedelta(weeks=week)

    @property
    def end(self) -> date:
        """The day after the year's last week."""
        return self.start + timedelta(weeks=self.weeks)

    def weeks_elapsed(self, as_of: date) -> int:
        """How many of the year's weeks have fully ended by ``as_of``."""
        return max(0, min(self.weeks, (as_of - self.start).days // 7))

    def is_past(self, as_of: date) -> bool:
        return as_of >= self.end

    def is_current(self, as_of: date) -> bool:
        return self.start <= as_of < self.end

    def is_future(self, as_of: date) -> bool:
        return as_of < self.start


@dataclass(frozen=True, slots=True)
class ResidentYearFacts:
    """A resident's academic year: PGY, track and cohort that year, and the week plan.

    ``weeks[i]`` is the rotation code of week ``i``; ``None`` is a leave week in a built
    schedule (not counted anywhere). A year whose status is "none" has no schedule yet.
    """

    resident_id: str
    academic_year: str
    pgy: int
    track: str
    cohort: int | None
    weeks: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class ResidentFacts:
    id: str
    name: str
    pgy: int  # current PGY level
    track: str  # current track; each year carries its own
    status: str = "active"
    graduation_year: str | None = None  # name of the academic year they graduate at the end of
    years: tuple[ResidentYearFacts, ...] = ()  # in academic order


@dataclass(frozen=True, slots=True)
class ProgramFacts:
    x_weeks: int
    y_weeks: int
    cohorts: int
    rotations: Mapping[str, RotationFacts]
    tracks: Mapping[str, tuple[float, float]]  # code -> ambulatory share band (min, max)
    requirements: tuple[RequirementFacts, ...] = ()
    settings: ComplianceSettings = field(default_factory=ComplianceSettings)
    years: tuple[YearFacts, ...] = ()  # the program's academic years, in order
    name: str = ""

    def __post_init__(self) -> None:
        xy.cohort_step(x_weeks=self.x_weeks, y_weeks=self.y_weeks, cohorts=self.cohorts)

    @property
    def cycle(self) -> int:
        return self.x_weeks + self.y_weeks

    def year(self, name: str) -> YearFacts | None:
        for year in self.years:
            if year.name == name:
                return year
        return None

    def is_y_week(self, week: int, cohort: int) -> bool:
        """True when ``week`` is a Y week of ``cohort`` (the spec's formula, in ``xy``)."""
        return xy.is_y_week(
            week, cohort, x_weeks=self.x_weeks, y_weeks=self.y_weeks, cohorts=self.cohorts
        )

    def y_week_flags(self, weeks: int, cohort: int) -> tuple[bool, ...]:
        """Return, for each of ``weeks`` weeks, True when it is a Y week of ``cohort``."""
        return xy.y_week_flags(
            weeks, cohort, x_weeks=self.x_weeks, y_weeks=self.y_weeks, cohorts=self.cohorts
        )


_YEAR_NAME = re.compile(r"^(\d{4})")


def year_number(name: str) -> int | None:
    """The first calendar year of an academic year named like "2027-2028", else None."""
    match = _YEAR_NAME.match(name)
    return int(match.group(1)) if match else None
