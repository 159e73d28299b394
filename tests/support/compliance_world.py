"""Builders shared by the compliance tests (this module holds no tests).

`build_world` stores a small 3+2 program the way the schedule builder would: academic years,
tracks, rotations with staffing, requirements, residents, and per year a schedule whose
version has a `VersionResident` row and 52 `Assignment` rows per resident. Y weeks are
continuity clinic (four of them vacation), X weeks are wards with one ICU block.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from programs.models import (
    AcademicYear,
    Program,
    Requirement,
    Resident,
    Role,
    Rotation,
    StaffingRule,
    Track,
)
from scheduling.models import Assignment, Schedule, ScheduleVersion, VersionResident
from scheduling.xy import is_y_week
from tests.factories import ProgramFactory, RoleFactory, UserFactory

FIRST_START = datetime.date(2025, 6, 30)  # a Monday


def year_start(first_calendar_year: int) -> datetime.date:
    """The Monday on or before 1 July, like the bundle examples."""
    july = datetime.date(first_calendar_year, 7, 1)
    return july - datetime.timedelta(days=july.weekday())


@dataclass
class World:
    program: Program
    years: list[AcademicYear]
    schedules: list[Schedule]
    versions: list[ScheduleVersion]
    residents: list[Resident]
    rotations: dict[str, Rotation]
    tracks: dict[str, Track]
    director: object = None
    roster_year: int = 2027  # the year residents' current PGY levels refer to


def add_rotations(program: Program) -> dict[str, Rotation]:
    specs = [
        ("WARDS", "General wards", "inpatient", "x", False, [], "#3b7dd8"),
        ("ICU", "Medical ICU", "critical_care", "x", True, [], "#d64545"),
        ("GERI", "Geriatrics", "ambulatory", "x", False, ["geriatrics"], "#66bb6a"),
        ("CLINIC", "Continuity clinic", "ambulatory", "y", False, [], "#2e8b57"),
        ("VAC", "Vacation", "vacation", "any", False, [], "#adb5bd"),
    ]
    rotations = {}
    for position, (code, name, setting, phase, intense, experiences, color) in enumerate(specs):
        rotations[code] = Rotation.objects.create(
            program=program,
            code=code,
            name=name,
            setting=setting,
            phase=phase,
            intense=intense,
            experiences=experiences,
            color=color,
            position=position,
        )
    StaffingRule.objects.create(
        rotation=rotations["WARDS"], pgy_levels=[1, 2, 3], min_residents=1, max_residents=400
    )
    StaffingRule.objects.create(
        rotation=rotations["ICU"], pgy_levels=[1, 2, 3], min_residents=1, max_residents=3
    )
    return rotations


def add_tracks(program: Program) -> dict[str, Track]:
    bands = {
        "CAT": ("Categorical", "0.34", "0.5"),
        "PC": ("Primary Care", "0.5", "0.6"),
        "PRE": ("Preliminary", "0.3", "0.5"),
    }
    return {
        code: Track.objects.update_or_create(
            program=program,
            code=code,
            defaults={
                "name": name,
                "ambulatory_min": Decimal(low),
                "ambulatory_max": Decimal(high),
                "position": position,
            },
        )[0]
        for position, (code, (name, low, high)) in enumerate(bands.items())
    }


def week_plan(cohort: int, weeks: int, *, seed: int) -> list[str | None]:
    """Clinic in Y weeks (four of them vacation), wards in X weeks with one ICU block."""
    plan: list[str | None] = []
    y_seen, block, previous_y = 0, -1, True
    icu_block = 3 + seed % 5
    for week in range(weeks):
        y_week = is_y_week(week, cohort, x_weeks=3, y_weeks=2, cohorts=5)
        if y_week:
            plan.append("VAC" if y_seen in (4, 9, 14, 19) else "CLINIC")
            y_seen += 1
        else:
            block += previous_y
            plan.append("ICU" if block == icu_block else "WARDS")
        previous_y = y_week
    return plan


def build_world(
    *,
    residents: int = 5,
    years: int = 1,
    slug: str = "alpha",
    first_year: int = 2027,
    status: str = ScheduleVersion.Status.PUBLISHED,
    program: Program | None = None,
    director=None,
) -> World:
    """A program with `residents` residents scheduled in `years` consecutive years, the
    last one starting in `first_year` (the year the residents' current PGY refers to)."""
    program = program or ProgramFactory(slug=slug, name=f"{slug.title()} IM")
    if director is None:
        director = UserFactory()
        RoleFactory(user=director, program=program, kind=Role.Kind.DIRECTOR)
    tracks = add_tracks(program)
    rotations = add_rotations(program)
    requirement = Requirement.objects.create(
        program=program, all_tracks=True, pgy_levels=[1], min_weeks=3
    )
    requirement.rotations.add(rotations["ICU"])
    prelim = Requirement.objects.create(program=program, pgy_levels=[1], min_weeks=4, max_weeks=4)
    prelim.tracks.add(tracks["PRE"])
    prelim.rotations.add(rotations["VAC"])
    Resident.objects.bulk_create(
        Resident(
            program=program,
            external_id=f"{slug[:1].upper()}{number:03d}",
            name=f"Resident {number:03d}",
            email=f"{slug}-r{number}@example.org",
            pgy=1 + number % 3,
            track=tracks["PC" if number % 5 == 0 else "CAT"],
            cohort=number % 5,
            position=number,
        )
        for number in range(residents)
    )
    # Residents already in the program (the access-test cast's) are scheduled too.
    people = list(Resident.objects.filter(program=program).select_related("track").order_by("pk"))
    world = World(program, [], [], [], people, rotations, tracks, director, first_year)
    for offset in range(years):
        number = first_year - (years - 1) + offset
        add_year(world, number, status=status)
    return world


def add_year(world: World, number: int, *, status: str = "published") -> ScheduleVersion:
    """A built year: a schedule, one version with every resident's row and weeks."""
    program = world.program
    year = AcademicYear.objects.create(
        program=program, name=f"{number}-{number + 1}", start=year_start(number), weeks=52
    )
    schedule = Schedule.objects.create(program=program, academic_year=year)
    # Filled as a draft, then given its status: a version that is not a draft is immutable.
    version = ScheduleVersion.objects.create(schedule=schedule, number=1)
    offset_from_current = number - world.roster_year
    rows, cells = [], []
    for index, resident in enumerate(world.residents):
        pgy = resident.pgy + offset_from_current
        if not 1 <= pgy <= 3:
            continue
        rows.append(
            VersionResident(
                version=version,
                resident=resident,
                pgy=pgy,
                track=resident.track,
                cohort=index % 5 if resident.cohort is None else resident.cohort,
            )
        )
        plan = week_plan(rows[-1].cohort, year.weeks, seed=index + number)
        cells.extend(
            Assignment(
                version=version,
                resident=resident,
                week=week,
                rotation=world.rotations[code],
            )
            for week, code in enumerate(plan)
            if code is not None
        )
    VersionResident.objects.bulk_create(rows)
    Assignment.objects.bulk_create(cells, batch_size=2000)
    if status != ScheduleVersion.Status.DRAFT:
        ScheduleVersion.objects.filter(pk=version.pk).update(status=status)
        version.status = status
    if status == ScheduleVersion.Status.PUBLISHED:
        schedule.published_version = version
        schedule.save(update_fields=["published_version"])
    world.years.append(year)
    world.schedules.append(schedule)
    world.versions.append(version)
    return version


@contextmanager
def reopened(version: ScheduleVersion):
    """Set a stored version's cells up by hand: a published version is immutable (down to
    the database), so it is a draft again for the block and gets its status back after."""
    status = ScheduleVersion.objects.get(pk=version.pk).status
    ScheduleVersion.objects.filter(pk=version.pk).update(status=ScheduleVersion.Status.DRAFT)
    try:
        yield version
    finally:
        ScheduleVersion.objects.filter(pk=version.pk).update(status=status)
