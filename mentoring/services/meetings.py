"""Writes for meetings: the mentor logs one, the resident confirms, reflects and ticks off
action items. Who may call which is decided by `mentoring.access`; these functions check
the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from history.models import Event
from history.services import history_record
from mentoring.models import ActionItem, Meeting, Mentorship
from programs.clock import program_today

MAX_DURATION_MINUTES = 600
MAX_TOPICS = 20
MAX_TOPIC_LENGTH = 80
MAX_ACTION_ITEMS = 10
NO_CONTENT = "Say what the meeting was about: pick a topic, or write the goals discussed or a note."


@dataclass(frozen=True)
class ActionItemInput:
    description: str
    owner: str = ActionItem.Owner.RESIDENT
    due_on: datetime.date | None = None


def meeting_problems(
    *,
    mentorship: Mentorship,
    occurred_on: datetime.date | None,
    duration_minutes: int | None,
    topics: Sequence[str],
    action_items: Sequence[ActionItemInput],
    today: datetime.date,
    goals_discussed: str = "",
    private_notes: str = "",
) -> dict[str, list[str]]:
    """Return what is wrong with a meeting to log, by field ({} when nothing is).

    Rules: the mentorship is current; the date is not in the future (in the program's time
    zone) nor before the mentorship started; 1 to 600 minutes; at least one topic or a note
    (goals discussed or private notes: a meeting with no content records nothing); every
    action item is described and not due before the meeting.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not mentorship.is_active:
        add(
            "__all__",
            f"This mentorship ended on {mentorship.ended_on:%-d %b %Y}: "
            "meetings can only be logged on a current mentorship.",
        )
    if occurred_on is None:
        add("occurred_on", "Give the date of the meeting.")
    elif occurred_on > today:
        add("occurred_on", f"The meeting cannot be in the future (today is {today:%-d %b %Y}).")
    elif occurred_on < mentorship.started_on:
        add(
            "occurred_on",
            f"The mentorship started on {mentorship.started_on:%-d %b %Y}; "
            "log earlier meetings on the earlier mentorship.",
        )
    if duration_minutes is None or not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        add("duration_minutes", f"A meeting lasts 1 to {MAX_DURATION_MINUTES} minutes.")
    if not topics and not goals_discussed.strip() and not private_notes.strip():
        add("topics", NO_CONTENT)
    if len(topics) > MAX_TOPICS:
        add("topics", f"At most {MAX_TOPICS} topics.")
    if any(len(t) > MAX_TOPIC_LENGTH for t in topics):
        add("topics", f"A topic has at most {MAX_TOPIC_LENGTH} characters.")
    if len(action_items) > MAX_ACTION_ITEMS:
        add("action_items", f"At most {MAX_ACTION_ITEMS} action items per meeting.")
    for number, item in enumerate(action_items, start=1):
        if not item.description.strip():
            add("action_items", f"Action item {number}: describe what is to be done.")
        if item.owner not in ActionItem.Owner.values:
            add("action_items", f"Action item {number}: the owner is the mentor or the resident.")
        if item.due_on and occurred_on and item.due_on < occurred_on:
            add("action_items", f"Action item {number}: it cannot be due before the meeting.")
    return errors


def meeting_log(
    *,
    mentorship: Mentorship,
    by,
    occurred_on: datetime.date,
    duration_minutes: int,
    start_time: datetime.time | None = None,
    format: str = Meeting.Format.IN_PERSON,
    kind: str = Meeting.Kind.REGULAR,
    topics: Sequence[str] = (),
    goals_discussed: str = "",
    private_notes: str = "",
    action_items: Sequence[ActionItemInput] = (),
    today: datetime.date | None = None,
) -> Meeting:
    """Store a meeting and its action items and record it in the program's history
    (metadata only, as an edit is); return the meeting. The resident is e-mailed (without
    the private notes) once the transaction commits.

    Raises ValidationError by field (see `meeting_problems`) and then saves nothing.
    """
    from mentoring.tasks import mentoring_notify_resident

    today = today or program_today(mentorship.program)
    errors = meeting_problems(
        mentorship=mentorship,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        topics=topics,
        action_items=action_items,
        today=today,
        goals_discussed=goals_discussed,
        private_notes=private_notes,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting(
            mentorship=mentorship,
            occurred_on=occurred_on,
            start_time=start_time,
            duration_minutes=duration_minutes,
            format=format,
            kind=kind,
            topics=list(topics),
            goals_discussed=goals_discussed.strip(),
            private_notes=private_notes.strip(),
            logged_by=by,
        )
        meeting.full_clean()
        meeting.save()
        items = [
            ActionItem(
                meeting=meeting,
                description=item.description.strip(),
                owner=item.owner,
                due_on=item.due_on,
            )
            for item in action_items
        ]
        for item in items:
            item.full_clean()
        ActionItem.objects.bulk_create(items)
        # The same event whichever path logged it (the page or the API), like an edit's.
        history_record(
            program=mentorship.program,
            kind=Event.Kind.SETUP_CREATED,
            subject=_meeting_subject(meeting),
            by=by,
            resident=mentorship.resident,
            before=None,
            after=_meeting_snapshot(meeting),
        )
        meeting_id = meeting.pk
        transaction.on_commit(lambda: mentoring_notify_resident.delay(meeting_id))
    return meeting


def meeting_confirm(*, meeting: Meeting, by) -> Meeting:
    """Record that the resident attended; return the meeting. Confirming twice keeps the
    first time (a conditional update, so a double click writes once)."""
    now = timezone.now()
    updated = Meeting.objects.filter(pk=meeting.pk, resident_confirmed_at__isnull=True).update(
        resident_confirmed_at=now
    )
    if updated:
        meeting.resident_confirmed_at = now
    return meeting


MAX_REFLECTION_LENGTH = 5000


def meeting_reflect(*, meeting: Meeting, by, reflection: str) -> Meeting:
    """Store the resident's reflection on a meeting (which also confirms attendance)."""
    reflection = reflection.strip()
    if len(reflection) > MAX_REFLECTION_LENGTH:
        raise ValidationError(
            {"reflection": f"At most {MAX_REFLECTION_LENGTH} characters, please."}
        )
    with transaction.atomic():
        meeting.resident_reflection = reflection
        meeting.save(update_fields=["resident_reflection"])
        meeting_confirm(meeting=meeting, by=by)
    return meeting


def action_item_set_done(*, item: ActionItem, by, done: bool) -> ActionItem:
    """Tick an action item off (done=True) or reopen it; return it."""
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item


# --- Changing a logged meeting ---------------------------------------------------------------


def meeting_is_editable(*, meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Whether the mentor may still change or delete `meeting`: for
    `MENTORING_MEETING_EDIT_DAYS` days after it was logged (a record, not a draft, after that)."""
    window = datetime.timedelta(days=settings.MENTORING_MEETING_EDIT_DAYS)
    return (now or timezone.now()) - meeting.created_at <= window


def _closed(meeting: Meeting) -> ValidationError:
    return ValidationError(
        f"A meeting can be changed or deleted for {settings.MENTORING_MEETING_EDIT_DAYS} days "
        f"after it is logged; this one was logged on {meeting.created_at:%-d %b %Y}."
    )


def _meeting_subject(meeting: Meeting) -> str:
    mentorship = meeting.mentorship
    return (
        f"Mentoring meeting of {meeting.occurred_on:%-d %b %Y} "
        f"({mentorship.resident.name} with {mentorship.mentor.name})"
    )


def _meeting_snapshot(meeting: Meeting) -> dict:
    """What history keeps of a meeting: its metadata, and only the length of its notes (the
    history is read by program leadership; the notes are the mentor's and the resident's)."""
    return {
        "occurred_on": meeting.occurred_on.isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "kind": meeting.kind,
        "topics": list(meeting.topics or []),
        "goals_discussed_chars": len(meeting.goals_discussed or ""),
        "private_notes_chars": len(meeting.private_notes or ""),
    }


def meeting_update(
    *,
    meeting: Meeting,
    by,
    occurred_on: datetime.date,
    duration_minutes: int,
    format: str,
    kind: str,
    topics: Sequence[str],
    goals_discussed: str = "",
    private_notes: str = "",
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Change a logged meeting within the edit window and record the change in the program's
    history (before and after, metadata only); return the meeting. Action items are kept.

    Raises ValidationError (by field, as `meeting_problems`; or the window has closed) and
    then changes nothing.
    """
    mentorship = meeting.mentorship
    if not meeting_is_editable(meeting=meeting, now=now):
        raise _closed(meeting)
    errors = meeting_problems(
        mentorship=mentorship,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        topics=topics,
        action_items=(),
        today=today or program_today(mentorship.program),
        goals_discussed=goals_discussed,
        private_notes=private_notes,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = _meeting_snapshot(meeting)
        meeting.occurred_on = occurred_on
        meeting.duration_minutes = duration_minutes
        meeting.format = format
        meeting.kind = kind
        meeting.topics = list(topics)
        meeting.goals_discussed = goals_discussed.strip()
        meeting.private_notes = private_notes.strip()
        meeting.full_clean()
        meeting.save(
            update_fields=[
                "occurred_on",
                "duration_minutes",
                "format",
                "kind",
                "topics",
                "goals_discussed",
                "private_notes",
            ]
        )
        history_record(
            program=mentorship.program,
            kind=Event.Kind.SETUP_CHANGED,
            subject=_meeting_subject(meeting),
            by=by,
            resident=mentorship.resident,
            before=before,
            after=_meeting_snapshot(meeting),
        )
    return meeting


def meeting_delete(
    *, meeting: Meeting, by, reason: str = "", now: datetime.datetime | None = None
) -> None:
    """Delete a logged meeting (and its action items) within the edit window, recording what
    it was in the program's history (metadata only). Raises ValidationError once the window
    has closed."""
    if not meeting_is_editable(meeting=meeting, now=now):
        raise _closed(meeting)
    mentorship = meeting.mentorship
    with transaction.atomic():
        history_record(
            program=mentorship.program,
            kind=Event.Kind.SETUP_DELETED,
            subject=_meeting_subject(meeting),
            by=by,
            resident=mentorship.resident,
            before=_meeting_snapshot(meeting),
            after=None,
            reason=reason.strip()[:500],
        )
        meeting.delete()
