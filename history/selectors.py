"""Reading history for pages and exports: a fixed number of queries whatever its length."""

from __future__ import annotations

from django.db.models import QuerySet

from history.models import Event
from programs.models import Program, Resident

_RELATED = ("actor", "resident", "version", "reverts", "reverted_by")


def history_for_program(*, program: Program, kinds: list[str] | None = None) -> QuerySet[Event]:
    events = Event.objects.for_program(program).select_related(*_RELATED)
    if kinds:
        events = events.filter(kind__in=kinds)
    return events


def history_for_version(*, version) -> QuerySet[Event]:
    return Event.objects.for_version(version).select_related(*_RELATED)


def history_for_cell(*, version, resident: Resident, week: int) -> QuerySet[Event]:
    return Event.objects.for_cell(version=version, resident=resident, week=week).select_related(
        *_RELATED
    )
