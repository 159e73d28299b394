"""Recording history. Call `history_record` inside the transaction of the change it records,
so that a change and its event commit or roll back together."""

from __future__ import annotations

from typing import Any

from history.models import Event
from programs.models import Program, Resident


def history_record(
    *,
    program: Program,
    kind: str,
    subject: str,
    by=None,
    version=None,
    resident: Resident | None = None,
    week: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    reverts: Event | None = None,
) -> Event:
    """Append one event and return it. `by` is the user who made the change (None for jobs)."""
    event = Event(
        program=program,
        kind=kind,
        subject=subject[:200],
        actor=by if getattr(by, "is_authenticated", False) else None,
        version=version,
        resident=resident,
        week=week,
        before=before,
        after=after,
        reason=reason,
        reverts=reverts,
    )
    event.full_clean()
    event.save()
    return event


def history_record_many(*, events: list[Event]) -> list[Event]:
    """Append many events at once (a build or a swap touches many cells): one query."""
    return Event.objects.bulk_create(events)


def history_record_change(
    *,
    program: Program,
    subject: str,
    before: dict,
    after: dict,
    by=None,
    kind: str = Event.Kind.SETUP_CHANGED,
    **about: Any,
) -> Event | None:
    """Record an edit when it changed something (`before != after`); a save that changed
    nothing leaves no event. Returns the event, or None."""
    if before == after:
        return None
    return history_record(
        program=program, kind=kind, subject=subject, before=before, after=after, by=by, **about
    )
