"""Personal calendar feeds: issuing and revoking the secret URL, and the document it serves."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from icalendar import Event

from programs.models import Resident, Rotation
from scheduling.exports import RotationRun, rotation_runs, runs_calendar
from scheduling.models import Assignment, CalendarFeed, ScheduleVersion
from scheduling.selectors import resident_published_plans


@transaction.atomic
def calendar_feed_rotate(*, user, create: bool = True) -> CalendarFeed | None:
    """Revoke the user's live feed and, with `create`, issue a new one; returns the new feed."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeed.objects.create(user=user) if create else None


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
