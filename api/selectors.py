"""Reads the API needs beyond the apps' own selectors, each a fixed number of queries."""

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery

from mentoring.models import Mentorship
from programs.access import ProgramAccess
from programs.models import Rotation
from scheduling.models import Assignment, BuildJob, Schedule, ScheduleVersion, VersionResident


def schedule_versions(*, access: ProgramAccess, schedule: Schedule) -> QuerySet[ScheduleVersion]:
    """The versions of `schedule` the user may see, newest first: all of them for schedulers,
    the published one for everyone else (as `scheduling.access.version_for_access`)."""
    versions = ScheduleVersion.objects.filter(schedule=schedule).select_related("parent")
    if not access.can_schedule:
        versions = versions.filter(status=ScheduleVersion.Status.PUBLISHED)
    return versions.order_by("-number")


def version_assignments(
    *,
    version: ScheduleVersion,
    week: int | None = None,
    resident: str | None = None,
    rotation: str | None = None,
    only_resident_id: int | None = None,
) -> QuerySet:
    """The version's assignments as plain rows (external id, week, rotation code, pinned),
    by resident then week; filtered by week index, external id and rotation code, and to
    the resident with pk `only_resident_id` when given."""
    rows = Assignment.objects.filter(version=version)
    if only_resident_id is not None:
        rows = rows.filter(resident_id=only_resident_id)
    if week is not None:
        rows = rows.filter(week=week)
    if resident:
        rows = rows.filter(resident__external_id=resident)
    if rotation:
        rows = rows.filter(rotation__code=rotation)
    return rows.order_by("resident__external_id", "week").values(
        "week",
        "pinned",
        resident_external_id=F("resident__external_id"),
        rotation_code=F("rotation__code"),
    )


def version_on_service(*, version: ScheduleVersion, week: int) -> list[dict]:
    """Who is on each rotation in week `week` of `version`: every rotation of the program in
    its order, each with its residents by the PGY they have in the version (highest first)
    and name (two queries)."""
    program_id = version.schedule.program_id
    people: dict[int, list[dict]] = {}
    # The PGY a resident had in this version's year, not today's (after a roll-over).
    year_pgy = VersionResident.objects.filter(version=version, resident=OuterRef("resident"))
    rows = (
        Assignment.objects.filter(version=version, week=week)
        .annotate(year_pgy=Subquery(year_pgy.values("pgy")[:1]))
        .order_by("-year_pgy", "resident__name")
        .values_list("rotation_id", "resident__external_id", "resident__name", "year_pgy")
    )
    for rotation_id, external_id, name, pgy in rows:
        people.setdefault(rotation_id, []).append(
            {"external_id": external_id, "name": name, "pgy": pgy}
        )
    return [
        {"rotation": rotation.code, "name": rotation.name, "residents": people.get(rotation.pk, [])}
        for rotation in Rotation.objects.filter(program_id=program_id).order_by("position", "code")
    ]


def mentorships_visible(
    *,
    access: ProgramAccess,
    active: bool | None = None,
    mentor: str | None = None,
    resident: str | None = None,
) -> QuerySet[Mentorship]:
    """The program's mentorships the user may see (all for managers; else those they mentor
    or are mentored in, as `mentoring.access.viewer_of`), with their meeting count and last
    meeting day, by resident id then newest first. One query."""
    mentorships = Mentorship.objects.filter(program=access.program)
    if not access.can_manage:
        mine = Q(pk__in=[])
        if access.faculty is not None:
            mine |= Q(mentor=access.faculty)
        if access.resident is not None:
            mine |= Q(resident=access.resident)
        mentorships = mentorships.filter(mine)
    if active is not None:
        mentorships = mentorships.filter(ended_on__isnull=active)
    if mentor:
        mentorships = mentorships.filter(mentor__external_id=mentor)
    if resident:
        mentorships = mentorships.filter(resident__external_id=resident)
    return (
        mentorships.select_related("mentor", "resident")
        .annotate(meeting_count=Count("meetings"), last_meeting_on=Max("meetings__occurred_on"))
        .order_by("resident__external_id", "-started_on", "pk")
    )


def schedule_builds(*, schedule: Schedule, status: str | None = None) -> QuerySet[BuildJob]:
    """The schedule's build jobs, newest first, with the versions they name (one query)."""
    jobs = BuildJob.objects.filter(schedule=schedule)
    if status:
        jobs = jobs.filter(status=status)
    return jobs.select_related("base_version", "result_version").order_by("-created_at", "-pk")
