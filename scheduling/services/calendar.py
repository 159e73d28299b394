"""Personal calendar feeds: issuing and revoking the secret URL, and the document it serves."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from icalendar import Event

from programs.clock import program_zone
from programs.models import Program, Resident, Rotation
from scheduling.exports import RotationRun, feed_calendar, rotation_runs, runs_calendar
from scheduling.models import Assignment, CalendarFeed, ScheduleVersion, VersionResident
from scheduling.selectors_residents import resident_published_plans

#: The colour of a mentor's meetings feed (the personal feed keeps the default blue).
MENTOR_COLOR = "#198754"


@transaction.atomic
def calendar_feed_rotate(*, user, create: bool = True) -> CalendarFeed | None:
    """Revoke the user's live personal feed and, with `create`, issue a new one; returns the
    new feed."""
    if not create:
        calendar_feed_revoke(user=user, kind=CalendarFeed.Kind.PERSONAL)
        return None
    return calendar_feed_issue(user=user, kind=CalendarFeed.Kind.PERSONAL)


def _run_history(resident: Resident) -> dict[tuple[str, int, str], tuple[int, int, object]]:
    """Every run in the resident's publishing history, keyed (year, first week, rotation):
    its SEQUENCE (how often its last week moved since it was first published), its last
    week, and when its current form was published (DTSTAMP). Two queries."""
    versions = list(
        ScheduleVersion.objects.filter(
            schedule__program_id=resident.program_id,
            status__in=(ScheduleVersion.Status.PUBLISHED, ScheduleVersion.Status.SUPERSEDED),
            published_at__isnull=False,
        )
        .select_related("schedule__academic_year")
        .order_by("published_at", "pk")
    )
    cells: dict[int, dict[int, str]] = {version.pk: {} for version in versions}
    for version_id, week, code in Assignment.objects.filter(
        resident=resident, version__in=versions
    ).values_list("version_id", "week", "rotation__code"):
        cells[version_id][week] = code
    history: dict[tuple[str, int, str], tuple[int, int, object]] = {}
    for version in versions:
        year = version.schedule.academic_year
        row = [cells[version.pk].get(week) for week in range(year.weeks)]
        for run in rotation_runs({"": row}, year.start):
            key = (year.name, run.first_week, run.rotation)
            seen = history.get(key)
            if seen is None:
                history[key] = (0, run.last_week, version.published_at)
            elif seen[1] != run.last_week:
                history[key] = (seen[0] + 1, run.last_week, version.published_at)
    return history


def calendar_feed_document(*, user) -> bytes:
    """One all-day event per published rotation run of each of the user's resident records,
    plus their mentoring meetings (shared parts only, never private notes)."""
    from mentoring.selectors.mentorships import meetings_for_calendar

    runs: list[RotationRun] = []
    names: dict[str, str] = {}
    rotation_names: dict[str, str] = {}
    # Only records of programs where the account still holds a role (as the meetings below).
    records = Resident.objects.filter(user=user, program__roles__user=user).distinct()
    for resident in records.select_related("program"):
        key = f"{resident.program.slug}:{resident.external_id}"
        names[key] = resident.name
        rotation_names.update(
            Rotation.objects.filter(program=resident.program).values_list("code", "name")
        )
        history = _run_history(resident)
        for plan in resident_published_plans(resident=resident):
            for run in plan.runs:
                if run["rotation"] is None:
                    continue
                sequence, _last, stamp = history.get(
                    (plan.year.name, run["first"], run["rotation"].code), (0, None, None)
                )
                runs.append(
                    RotationRun(
                        resident_id=f"{key}:{plan.year.name}",
                        rotation=run["rotation"].code,
                        first_week=run["first"],
                        last_week=run["last"],
                        start=run["start"],
                        end=run["start"] + datetime.timedelta(weeks=run["weeks"]),
                        sequence=sequence,
                        stamp=stamp,
                    )
                )
                names[f"{key}:{plan.year.name}"] = resident.name
    meetings = []
    for meeting in meetings_for_calendar(user=user):
        event = Event()
        event.add("uid", meeting.uid)
        # A stable stamp (the meeting's day), so an unchanged feed reads the same every time.
        event.add("dtstamp", datetime.datetime.combine(meeting.date, datetime.time(), datetime.UTC))
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("summary", meeting.title)
        event.add("description", meeting.description)
        meetings.append(event)
    return runs_calendar(
        runs,
        names=names,
        rotation_names=rotation_names,
        uid_prefix="residency",
        calendar_name=f"Residency — {user.get_full_name()}",
        extra_events=meetings,
    )


def calendar_feed_issue(
    *, user, kind: str, program: Program | None = None, rotation: Rotation | None = None
) -> CalendarFeed:
    """Revoke the user's live feed of this kind (and program or rotation) and issue a new
    one; returns it. Who may hold which feed is the caller's (the view's access helper)."""
    with transaction.atomic():
        calendar_feed_revoke(user=user, kind=kind, program=program, rotation=rotation)
        feed = CalendarFeed(user=user, kind=kind, program=program, rotation=rotation)
        feed.full_clean()
        feed.save()
    return feed


def calendar_feed_revoke(
    *, user, kind: str, program: Program | None = None, rotation: Rotation | None = None
) -> int:
    """Revoke the user's live feed of this kind (and program or rotation); returns how many
    were revoked (0 or 1)."""
    live = CalendarFeed.objects.filter(user=user, kind=kind, revoked_at__isnull=True)
    if kind == CalendarFeed.Kind.MENTOR:
        live = live.filter(program=program)
    elif kind == CalendarFeed.Kind.SERVICE:
        live = live.filter(rotation=rotation)
    return live.update(revoked_at=timezone.now())


def mentor_feed_document(*, user, program: Program) -> bytes:
    """The meetings of the user's mentorships in `program` as events: TIMED, in the program's
    time zone (TZID with its VTIMEZONE), when the meeting has a start time, else all-day.
    Shared parts only (never private notes or goals: a feed URL can leak). Two queries."""
    from mentoring.models import Meeting

    zone = program_zone(program)
    meetings = (
        Meeting.objects.filter(mentorship__program=program, mentorship__mentor__user=user)
        .select_related("mentorship__resident")
        .only(
            "pk",
            "occurred_on",
            "start_time",
            "duration_minutes",
            "format",
            "kind",
            "topics",
            "created_at",
            "mentorship__resident__name",
            "mentorship__resident__external_id",
        )
        .order_by("occurred_on", "pk")
    )
    name = f"Mentoring — {program.name}"
    calendar = feed_calendar(name=name, color=MENTOR_COLOR)
    days = []
    for meeting in meetings:
        event = Event()
        event.add("uid", f"mentoring-meeting-{meeting.pk}@residency")
        event.add("dtstamp", meeting.created_at.astimezone(datetime.UTC).replace(microsecond=0))
        if meeting.start_time is not None:
            start = datetime.datetime.combine(meeting.occurred_on, meeting.start_time, zone)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes))
        else:
            event.add("dtstart", meeting.occurred_on)
            event.add("dtend", meeting.occurred_on + datetime.timedelta(days=1))
        resident = meeting.mentorship.resident
        what = (
            "Career conference"
            if meeting.kind == Meeting.Kind.CAREER_CONFERENCE
            else "Mentoring meeting"
        )
        event.add("summary", f"{what} with {resident.name}")
        description = (
            f"{resident.name} ({resident.external_id}). {meeting.get_format_display()}, "
            f"{meeting.duration_minutes} min."
        )
        if meeting.topics:
            description += " Topics: " + ", ".join(meeting.topics) + "."
        event.add("description", description)
        calendar.add_component(event)
        days.append(meeting.occurred_on)
    if days and zone is not datetime.UTC:
        # Just the years the meetings need, so the document stays small and the same.
        calendar.add_missing_timezones(
            first_date=datetime.date(min(days).year - 1, 1, 1),
            last_date=datetime.date(max(days).year + 2, 1, 1),
        )
    return calendar.to_ical()


def service_feed_document(*, rotation: Rotation) -> bytes:
    """Who is on `rotation` in each week of the program's published schedules: one all-day
    event a week (Monday to the next Monday, exclusive) naming the residents with their PGY
    in that year. A week's UID never changes; its SEQUENCE counts how often its team changed
    across publications and its DTSTAMP is when its current team was published, so an
    unchanged republish gives the same document. Two queries."""
    versions = list(
        ScheduleVersion.objects.filter(
            schedule__program_id=rotation.program_id,
            status__in=(ScheduleVersion.Status.PUBLISHED, ScheduleVersion.Status.SUPERSEDED),
            published_at__isnull=False,
        )
        .select_related("schedule__academic_year")
        .order_by("published_at", "pk")
    )
    year_pgy = VersionResident.objects.filter(
        version=OuterRef("version"), resident=OuterRef("resident")
    ).values("pgy")[:1]
    teams: dict[int, dict[int, list[tuple[str, str, int]]]] = {v.pk: {} for v in versions}
    rows = (
        Assignment.objects.filter(version__in=versions, rotation=rotation)
        .annotate(year_pgy=Subquery(year_pgy))
        .order_by("week", "-year_pgy", "resident__name", "resident__external_id")
        .values_list("version_id", "week", "resident__external_id", "resident__name", "year_pgy")
    )
    for version_id, week, external_id, name, pgy in rows:
        teams[version_id].setdefault(week, []).append((external_id, name, pgy))
    # (year, week) -> (sequence, team, stamp), over the publishing history.
    history: dict[tuple[str, int], tuple[int, list, datetime.datetime]] = {}
    for version in versions:
        year = version.schedule.academic_year.name
        for week, team in teams[version.pk].items():
            seen = history.get((year, week))
            if seen is None:
                history[(year, week)] = (0, team, version.published_at)
            elif seen[1] != team:
                history[(year, week)] = (seen[0] + 1, team, version.published_at)
    program = rotation.program
    calendar = feed_calendar(name=f"{rotation.name} — {program.name}", color=rotation.color)
    for version in versions:
        if version.status != ScheduleVersion.Status.PUBLISHED:
            continue
        year = version.schedule.academic_year
        for week, team in sorted(teams[version.pk].items()):
            sequence, _team, stamp = history[(year.name, week)]
            start = year.week_start(week)
            event = Event()
            event.add("uid", f"{program.slug}-service-{rotation.code}-{year.name}-w{week}")
            event.add("dtstamp", stamp.astimezone(datetime.UTC).replace(microsecond=0))
            event.add("sequence", sequence)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(weeks=1))
            people = ", ".join(name for _id, name, _pgy in team)
            event.add("summary", f"{rotation.code}: {people}")
            event.add(
                "description",
                f"{rotation.name}, week of {start:%-d %b %Y}: "
                + "; ".join(f"{name} ({rid}, PGY-{pgy})" for rid, name, pgy in team)
                + ".",
            )
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
