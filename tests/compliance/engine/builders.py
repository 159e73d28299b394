"""Small hand-built compliance facts.

Week plans are written as text: ``plan("WARDS*3 CLINIC*2")`` is five weeks; ``-`` is a leave
week; ``repeat("WARDS*3 CLINIC*2", 52)`` repeats a pattern to 52 weeks (for cohort 0 of a
3+2 template, weeks 3, 4, 8, 9, ... are Y weeks).
"""

from __future__ import annotations

from datetime import date, timedelta

from compliance.engine import (
    ComplianceSettings,
    ProgramFacts,
    RequirementFacts,
    ResidentFacts,
    ResidentYearFacts,
    RotationFacts,
    Scope,
    StaffingFacts,
    YearFacts,
)


def rotation(code: str, setting: str, phase: str = "any", **fields) -> RotationFacts:
    if "experiences" in fields:
        fields["experiences"] = frozenset(fields["experiences"])
    return RotationFacts(code, code.title(), setting, phase, **fields)


STANDARD_ROTATIONS = (
    rotation("WARDS", "inpatient", "x", min_run_weeks=2),
    rotation("ICU", "critical_care", "x", intense=True, max_consecutive_weeks=3),
    rotation("NF", "inpatient", "x", intense=True, max_consecutive_weeks=2),
    rotation("ELEC", "elective_inpatient", "x"),
    rotation("GERI", "ambulatory", "x", experiences={"geriatrics"}),
    rotation("ED", "inpatient", "x", experiences={"emergency_medicine"}),
    rotation("AMB", "ambulatory", "any"),
    rotation("CLINIC", "ambulatory", "y", is_clinic=True),
    rotation("VAC", "vacation", "any"),
)
TRACKS = {"CAT": (0.34, 0.5), "PC": (0.5, 0.6), "PRE": (0.3, 0.5)}


def academic_year(name: str = "2027-2028", weeks: int = 52, status: str = "published") -> YearFacts:
    """The year starting on the Monday on or before 1 July of its first calendar year."""
    first_july = date(int(name[:4]), 7, 1)
    return YearFacts(name, first_july - timedelta(days=first_july.weekday()), weeks, status)


def years(*names: str, status: str = "published") -> tuple[YearFacts, ...]:
    return tuple(academic_year(name, status=status) for name in names)


def program(
    *,
    x: int = 3,
    y: int = 2,
    cohorts: int = 5,
    rotations=STANDARD_ROTATIONS,
    tracks=None,
    requirements=(),
    settings: dict | None = None,
    academic_years=None,
) -> ProgramFacts:
    return ProgramFacts(
        x_weeks=x,
        y_weeks=y,
        cohorts=cohorts,
        rotations={r.code: r for r in rotations},
        tracks=TRACKS if tracks is None else tracks,
        requirements=tuple(requirements),
        settings=ComplianceSettings.from_overrides(settings or {}),
        years=academic_years if academic_years is not None else years("2027-2028"),
        name="Test program",
    )


def requirement(rotations: str, pgy=(1, 2, 3), tracks=None, min_weeks=None, max_weeks=None):
    return RequirementFacts(
        None if tracks is None else frozenset(tracks),
        frozenset(pgy),
        frozenset(rotations.split()),
        min_weeks,
        max_weeks,
    )


def staff(pgy, low=None, high=None) -> StaffingFacts:
    return StaffingFacts(frozenset(pgy), low, high)


def plan(text: str) -> tuple[str | None, ...]:
    weeks: list[str | None] = []
    for token in text.split():
        code, _, count = token.partition("*")
        weeks += [None if code == "-" else code] * int(count or 1)
    return tuple(weeks)


def repeat(text: str, length: int) -> tuple[str | None, ...]:
    pattern = plan(text)
    return tuple(pattern[i % len(pattern)] for i in range(length))


def with_weeks(weeks: tuple, changes: dict[int, str | None]) -> tuple:
    """A copy of ``weeks`` with some weeks replaced: ``{3: "VAC", 4: None}``."""
    return tuple(changes.get(i, code) for i, code in enumerate(weeks))


def ryear(
    weeks,
    *,
    year: str = "2027-2028",
    pgy: int = 1,
    track: str = "CAT",
    cohort: int | None = 0,
    resident_id: str = "R1",
) -> ResidentYearFacts:
    if isinstance(weeks, str):
        weeks = plan(weeks)
    return ResidentYearFacts(resident_id, year, pgy, track, cohort, tuple(weeks))


def resident(
    *resident_years: ResidentYearFacts,
    resident_id: str = "R1",
    graduation: str | None = None,
    name: str = "Ada Resident",
) -> ResidentFacts:
    """A resident whose current PGY and track are those of their last year."""
    fixed = tuple(
        ResidentYearFacts(resident_id, y.academic_year, y.pgy, y.track, y.cohort, y.weeks)
        for y in resident_years
    )
    last = fixed[-1]
    if graduation is None:
        start = int(last.academic_year[:4]) + 3 - last.pgy
        graduation = f"{start}-{start + 1}"
    return ResidentFacts(
        resident_id, name, last.pgy, last.track, graduation_year=graduation, years=fixed
    )


def scope(facts: ProgramFacts, *, as_of: date | None = None, year: str | None = None) -> Scope:
    """By default as of the day after the program's last year: every week is done."""
    if as_of is None:
        as_of = facts.years[-1].end
    return Scope(facts, as_of=as_of, year=year)


def week_date(facts: ProgramFacts, year_name: str, week: int) -> date:
    return facts.year(year_name).week_start(week)
