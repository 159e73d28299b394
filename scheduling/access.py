"""Access to schedules, on top of `programs.access`: who may see or change which version.

Drafts are for the people who build schedules; residents and faculty see only published
versions; a resident sees only their own rows unless they build schedules.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import Need, ProgramAccess, program_for_user, resident_for_user
from programs.models import AcademicYear, Faculty, Resident, Role
from scheduling.models import BuildJob, CalendarFeed, Schedule, ScheduleVersion


def schedule_for_access(access: ProgramAccess, year_name: str) -> Schedule:
    """The program's schedule of the academic year `year_name` (created on first use)."""
    year = AcademicYear.objects.filter(program=access.program, name=year_name).first()
    if year is None:
        raise Http404("No such academic year.")
    schedule, _ = Schedule.objects.select_related("academic_year", "program").get_or_create(
        academic_year=year, defaults={"program": access.program}
    )
    return schedule


def version_for_access(
    access: ProgramAccess, schedule: Schedule, number: int | None
) -> ScheduleVersion | None:
    """Version `number` of `schedule`, or the working version when None.

    Schedulers may open any version; everyone else only the published one.
    """
    versions = ScheduleVersion.objects.filter(schedule=schedule).select_related(
        "schedule__academic_year", "schedule__program"
    )
    if number is None:
        if access.can_schedule:
            return versions.filter(status="draft").order_by("-number").first() or (
                versions.filter(status="published").first()
            )
        return versions.filter(status="published").first()
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    if not access.can_schedule and version.status != ScheduleVersion.Status.PUBLISHED:
        raise PermissionDenied("Only published schedules are visible to you.")
    return version


def build_job_for_access(access: ProgramAccess, schedule: Schedule, job_id: int) -> BuildJob:
    if not access.can_schedule:
        raise PermissionDenied("Only schedule builders follow builds.")
    job = BuildJob.objects.filter(schedule=schedule, pk=job_id).first()
    if job is None:
        raise Http404("No such build.")
    return job


def calendar_feed_live(token: str) -> CalendarFeed:
    """The live feed behind `token`, if its owner may still read what it shows; else 404.

    A feed is reached by its secret alone (calendar clients cannot sign in), so the rules of
    the pages are checked for its owner on every read: a mentor's feed needs their faculty
    record and a role in the program, a service feed the roster right (`Need.SEE_ROSTER`).
    Losing the role makes the feed a 404 without revoking it.
    """
    feed = (
        CalendarFeed.objects.select_related("user", "program", "rotation__program")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar.")
    if feed.kind == CalendarFeed.Kind.MENTOR:
        holds = Role.objects.filter(user=feed.user, program=feed.program).exists()
        if not (holds and Faculty.objects.filter(user=feed.user, program=feed.program).exists()):
            raise Http404("No such calendar.")
    elif feed.kind == CalendarFeed.Kind.SERVICE:
        try:
            program_for_user(feed.user, feed.program.slug, Need.SEE_ROSTER)
        except PermissionDenied:
            raise Http404("No such calendar.") from None
    return feed


def wishes_for_access(access: ProgramAccess, resident_pk: int) -> Resident:
    """The resident whose wishes the user may see and ask about: schedule builders may for
    anyone (404 outside the program), a resident only for their own (403 for a classmate's),
    faculty not at all (their mentees' wishes are not theirs to question)."""
    resident = resident_for_user(access, resident_pk)
    if access.can_schedule:
        return resident
    if access.resident is not None and access.resident.pk == resident.pk:
        return resident
    raise PermissionDenied("Only you and the schedule builders may ask about your wishes.")
