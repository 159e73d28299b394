"""Personal calendar feeds: issuing and revoking the secret URL, and the document it serves."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from icalendar import Event

from programs.models import Resident, Rotation
from scheduling.exports import RotationRun, runs_calendar
from scheduling.models import CalendarFeed
from scheduling.selectors import resident_published_plans


@transaction.atomic
def calendar_feed_rotate(*, user, create: bool = True) -> CalendarFeed | None:
    """Revoke the user's live feed and, with `create`, issue a new one; returns the new feed."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeed.objects.create(user=user) if create else None


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
        for plan in resident_published_plans(resident=resident):
            for run in plan.runs:
                if run["rotation"] is None:
                    continue
                runs.append(
                    RotationRun(
                        resident_id=f"{key}:{plan.year.name}",
                        rotation=run["rotation"].code,
                        first_week=run["first"],
                        last_week=run["last"],
                        start=run["start"],
                        end=run["start"] + datetime.timedelta(weeks=run["weeks"]),
                    )
                )
                names[f"{key}:{plan.year.name}"] = resident.name
    meetings = []
    stamp = timezone.now().replace(microsecond=0)
    for meeting in meetings_for_calendar(user=user):
        event = Event()
        event.add("uid", meeting.uid)
        event.add("dtstamp", stamp)
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
