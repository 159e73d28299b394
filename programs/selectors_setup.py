"""Reads for the set-up pages: what a row is used by, the set-up checklist, the list pages.

Reverse relations (assignments, schedules, mentorships) are followed by name, so that this
module imports no model of the apps that depend on `programs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from programs.models import (
    AcademicYear,
    Faculty,
    Program,
    Requirement,
    Resident,
    Rotation,
    StaffingRule,
    Track,
)
from programs.selectors import IN_PROGRAM


def rotation_use(*, rotation: Rotation) -> str:
    """Why `rotation` cannot be deleted ("ICU is scheduled in v3 of 2026-2027"), or ""."""
    assignment = (
        rotation.assignments.select_related("version__schedule__academic_year")
        .order_by("-version__number")
        .first()
    )
    if assignment is not None:
        version = assignment.version
        return (
            f"{rotation.code} is scheduled in v{version.number} of "
            f"{version.schedule.academic_year.name}"
        )
    count = rotation.requirements.count()
    if count:
        return f"{rotation.code} is named by {count} requirement{'s' if count > 1 else ''}"
    return ""


def track_use(*, track: Track) -> str:
    """Why `track` cannot be deleted (residents on it, requirements naming it), or ""."""
    residents = track.residents.count()
    if residents:
        return f"{track.code} has {residents} resident{'s' if residents > 1 else ''}"
    requirements = track.requirements.count()
    if requirements:
        return (
            f"{track.code} is named by {requirements} requirement{'s' if requirements > 1 else ''}"
        )
    return ""


def year_use(*, year: AcademicYear) -> str:
    """Why `year` cannot be deleted or moved (it has a schedule with versions), or ""."""
    versions = AcademicYear.objects.filter(pk=year.pk, schedule__versions__isnull=False).count()
    if versions:
        return f"{year.name} has a schedule ({versions} version{'s' if versions > 1 else ''})"
    return ""


def tracks_list(*, program: Program) -> list[Track]:
    """The program's tracks with their resident and requirement counts (one query)."""
    return list(
        Track.objects.for_program(program)
        .annotate(
            resident_count=Count(
                "residents", filter=Q(residents__status__in=IN_PROGRAM), distinct=True
            ),
            requirement_count=Count("requirements", distinct=True),
        )
        .order_by("position", "code")
    )


def rotations_list(*, program: Program) -> list[Rotation]:
    """The program's rotations with their staffing rules (two queries)."""
    return list(
        Rotation.objects.for_program(program)
        .order_by("position", "code")
        .prefetch_related(Prefetch("staffing", queryset=StaffingRule.objects.order_by("position")))
    )


def requirements_list(*, program: Program) -> list[Requirement]:
    """The program's requirements with their tracks and rotations (three queries)."""
    return list(
        Requirement.objects.for_program(program)
        .order_by("position", "pk")
        .prefetch_related("tracks", "rotations")
    )


def years_list(*, program: Program) -> list[AcademicYear]:
    """The program's academic years with their schedules' version counts (one query)."""
    return list(
        AcademicYear.objects.for_program(program)
        .annotate(version_count=Count("schedule__versions"))
        .order_by("start")
    )


@dataclass(frozen=True)
class Step:
    """One step of the set-up checklist: done or not, and what is missing."""

    key: str
    title: str
    done: bool
    summary: str
    missing: list[str]
    url_name: str


def setup_checklist(*, program: Program) -> list[Step]:
    """Tracks -> rotations -> requirements -> roster -> mentors -> build (six queries)."""
    tracks = list(Track.objects.for_program(program).values_list("code", flat=True))
    rotations = list(
        Rotation.objects.for_program(program)
        .annotate(rules=Count("staffing"))
        .values_list("code", "setting", "rules")
    )
    requirements = Requirement.objects.for_program(program).count()
    residents = dict(
        Resident.objects.for_program(program)
        .filter(status__in=IN_PROGRAM)
        .values_list("pgy")
        .annotate(n=Count("pk"))
        .values_list("pgy", "n")
    )
    mentors = Faculty.objects.for_program(program).filter(mentor_capacity__gt=0).count()
    years = list(
        AcademicYear.objects.for_program(program)
        .annotate(versions=Count("schedule__versions"))
        .values_list("name", "versions")
    )
    steps = []
    steps.append(
        Step(
            "tracks",
            "Tracks",
            bool(tracks),
            ", ".join(tracks) or "none yet",
            [] if tracks else ["Add at least one track (e.g. Categorical)."],
            "programs:setup_tracks",
        )
    )
    settings = {setting for _, setting, _ in rotations}
    # Services that need people every week (wards, ICU) need a staffing rule; clinics and
    # electives may go without one.
    unstaffed = [
        code
        for code, setting, rules in rotations
        if not rules and setting in ("inpatient", "critical_care")
    ]
    missing = []
    if not rotations:
        missing.append("Add the program's rotations.")
    if rotations and "ambulatory" not in settings:
        missing.append("No ambulatory rotation: Y weeks need one.")
    if rotations and not settings & {"inpatient", "critical_care", "elective_inpatient"}:
        missing.append("No inpatient rotation: X weeks need one.")
    if unstaffed:
        missing.append("No weekly staffing yet: " + ", ".join(unstaffed) + ".")
    steps.append(
        Step(
            "rotations",
            "Rotations and staffing",
            bool(rotations) and not missing,
            f"{len(rotations)} rotation{'s' if len(rotations) != 1 else ''}",
            missing,
            "programs:setup_rotations",
        )
    )
    steps.append(
        Step(
            "requirements",
            "Yearly requirements",
            requirements > 0,
            f"{requirements} requirement{'s' if requirements != 1 else ''}",
            [] if requirements else ["Say how many weeks each PGY level spends where."],
            "programs:setup_requirements",
        )
    )
    total = sum(residents.values())
    levels = ", ".join(f"PGY-{level}: {n}" for level, n in sorted(residents.items()))
    steps.append(
        Step(
            "roster",
            "Roster",
            total > 0,
            f"{total} resident{'s' if total != 1 else ''}" + (f" ({levels})" if levels else ""),
            [] if total else ["Add residents here or import the roster as CSV."],
            "programs:setup_residents",
        )
    )
    steps.append(
        Step(
            "mentors",
            "Mentors",
            mentors > 0,
            f"{mentors} faculty mentor{'s' if mentors != 1 else ''}",
            [] if mentors else ["Add faculty with a mentoring capacity."],
            "programs:setup_faculty",
        )
    )
    built = [name for name, versions in years if versions]
    missing = []
    if not years:
        missing.append("Add an academic year.")
    elif not built:
        missing.append(f"Build the schedule of {years[0][0]}.")
    steps.append(
        Step(
            "build",
            "Build the schedule",
            bool(built),
            ", ".join(f"{name} built" for name in built) or "not built yet",
            missing,
            "scheduling:index",
        )
    )
    return steps


def residents_list(*, program: Program) -> list[Resident]:
    """Every resident of the program, current ones first, with track and account (one query)."""
    order = {"active": 0, "leave": 1, "graduated": 2, "withdrawn": 3}
    residents = list(
        Resident.objects.for_program(program)
        .select_related("track", "user")
        .order_by("pgy", "name")
    )
    return sorted(residents, key=lambda r: order.get(r.status, 9))


def faculty_list(*, program: Program) -> list[Faculty]:
    """The program's faculty with their accounts and active mentee counts (one query)."""
    return list(
        Faculty.objects.for_program(program)
        .select_related("user")
        .annotate(mentees=Count("mentorships", filter=Q(mentorships__ended_on__isnull=True)))
        .order_by("name")
    )


def template_use(*, program: Program) -> str:
    """Why the X+Y template of `program` cannot change (a year has schedule versions built
    on it), or "". One query."""
    rows = (
        AcademicYear.objects.for_program(program)
        .filter(schedule__versions__isnull=False)
        .annotate(versions=Count("schedule__versions"))
        .order_by("start")
        .values_list("name", "versions")
    )
    for name, versions in rows:
        plural = "s" if versions > 1 else ""
        return f"{name} has {versions} version{plural}: copy the program for a new template"
    return ""
