"""One pass over a resident's year: the week counts every rule and figure is built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from compliance.engine.facts import ProgramFacts, ResidentYearFacts, YearFacts


@dataclass(slots=True)
class Counts:
    """Weeks by kind. Vacation and leave weeks are neither ambulatory nor inpatient."""

    ambulatory: int = 0
    inpatient: int = 0  # inpatient + critical care + inpatient electives
    critical_care: int = 0  # also counted in ``inpatient``
    vacation: int = 0
    leave: int = 0
    clinic_weeks: int = 0  # weeks on a continuity-clinic rotation
    open_y_weeks: float = 0.0  # Y weeks that are neither vacation nor leave: room for clinic

    @property
    def countable(self) -> int:
        """The balance denominator: scheduled weeks that are not vacation or leave."""
        return self.ambulatory + self.inpatient

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.ambulatory + other.ambulatory,
            self.inpatient + other.inpatient,
            self.critical_care + other.critical_care,
            self.vacation + other.vacation,
            self.leave + other.leave,
            self.clinic_weeks + other.clinic_weeks,
            self.open_y_weeks + other.open_y_weeks,
        )


@dataclass(slots=True)
class YearTally:
    """A resident's year split at the as-of date into weeks done and weeks ahead."""

    facts: ResidentYearFacts
    year: YearFacts
    scheduled: bool  # False: no schedule built for this year yet
    done: Counts = field(default_factory=Counts)
    ahead: Counts = field(default_factory=Counts)
    rotation_weeks: dict[str, int] = field(default_factory=dict)
    experiences_done: frozenset[str] = frozenset()
    experiences_ahead: frozenset[str] = frozenset()

    @property
    def academic_year(self) -> str:
        return self.facts.academic_year

    @property
    def total(self) -> Counts:
        return self.done + self.ahead

    @property
    def experiences(self) -> frozenset[str]:
        return self.experiences_done | self.experiences_ahead

    def week(self, index: int) -> str | None:
        weeks = self.facts.weeks
        return weeks[index] if index < len(weeks) else None


def tally_year(
    program: ProgramFacts, resident_year: ResidentYearFacts, year: YearFacts, as_of: date
) -> YearTally:
    """Count one resident-year. Weeks past the end of ``weeks`` are leave weeks.

    A year is unscheduled when its status is "none" and the resident has no assignment in
    it; a "none" year that has assignments is treated like a draft.
    """
    weeks = resident_year.weeks
    if len(weeks) > year.weeks:
        raise ValueError(
            f"Resident {resident_year.resident_id} has {len(weeks)} weeks in {year.name}, "
            f"which has {year.weeks}"
        )
    scheduled = year.status != "none" or any(code is not None for code in weeks)
    tally = YearTally(resident_year, year, scheduled)
    if not scheduled:
        return tally
    cut = year.weeks_elapsed(as_of)
    rotations = program.rotations
    cohort = resident_year.cohort
    y_flags = program.y_week_flags(year.weeks, cohort) if cohort is not None else None
    done, ahead = tally.done, tally.ahead
    rotation_weeks: dict[str, int] = {}
    experiences_done: set[str] = set()
    experiences_ahead: set[str] = set()
    for index in range(year.weeks):
        counts = done if index < cut else ahead
        code = weeks[index] if index < len(weeks) else None
        if code is None:
            counts.leave += 1
            continue
        rotation = rotations.get(code)
        if rotation is None:
            raise ValueError(
                f"Resident {resident_year.resident_id} is on unknown rotation {code!r} "
                f"in {year.name}, week {index + 1}"
            )
        rotation_weeks[code] = rotation_weeks.get(code, 0) + 1
        if rotation.is_vacation:
            counts.vacation += 1
            continue
        if rotation.is_ambulatory:
            counts.ambulatory += 1
        else:
            counts.inpatient += 1
            if rotation.is_critical_care:
                counts.critical_care += 1
        if rotation.is_clinic:
            counts.clinic_weeks += 1
        if rotation.experiences:
            (experiences_done if index < cut else experiences_ahead).update(rotation.experiences)
        if y_flags is not None and y_flags[index]:
            counts.open_y_weeks += 1
    if cohort is None:  # no cohort: assume the template's share of Y weeks
        share = program.y_weeks / program.cycle
        done.open_y_weeks = done.countable * share
        ahead.open_y_weeks = ahead.countable * share
    tally.rotation_weeks = rotation_weeks
    tally.experiences_done = frozenset(experiences_done)
    tally.experiences_ahead = frozenset(experiences_ahead)
    return tally
