"""The history as files: CSV (every cell safe, `residency.spreadsheets`) and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from history.models import Event
from residency.spreadsheets import csv_bytes

COLUMNS = (
    "id",
    "at",
    "kind",
    "actor",
    "subject",
    "version",
    "resident",
    "week",
    "before",
    "after",
    "reason",
    "reverts",
)


def event_row(event: Event) -> dict:
    """One event as plain values (weeks 1-based, as the pages show them). Expects the
    event's actor, version and resident selected with it (`history.selectors`)."""
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "kind": event.kind,
        "actor": event.actor.email if event.actor else "",
        "subject": event.subject,
        "version": event.version.number if event.version else None,
        "resident": event.resident.external_id if event.resident else None,
        "week": event.week + 1 if event.week is not None else None,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "reverts": event.reverts_id,
    }


def events_csv(events: Iterable[Event]) -> bytes:
    rows = [event_row(e) for e in events]
    body = [
        [
            json.dumps(r[c], sort_keys=True)
            if c in ("before", "after") and r[c] is not None
            else r[c]
            for c in COLUMNS
        ]
        for r in rows
    ]
    return csv_bytes([list(COLUMNS), *body])


def events_json(events: Iterable[Event]) -> bytes:
    return json.dumps({"events": [event_row(e) for e in events]}, indent=2).encode()


def event_change(event: Event) -> str:
    """The event's before and after in a few words, for pages ("WARDS → VAC", "pinned",
    "v3 → v4 · 12 cells, 5 residents"); the downloads keep the full snapshots."""
    before, after = event.before or {}, event.after or {}
    if "rotation" in before or "rotation" in after:
        return f"{before.get('rotation') or 'leave'} → {after.get('rotation') or 'leave'}"
    if "pinned" in after:
        return "pinned" if after["pinned"] else "unpinned"
    if "published" in after:
        was = f"v{before['published']} → " if before.get("published") else ""
        return (
            f"{was}v{after['published']} · {after.get('cells_changed', 0)} cells, "
            f"{after.get('residents_affected', 0)} residents, "
            f"{after.get('hard_rule_violations', 0)} hard-rule breaks"
        )
    if after.get("note"):
        return after["note"]
    if "weeks_built" in after:
        first, last = after["weeks_built"]
        return f"weeks {first}-{last}"
    if "version" in after:
        return (f"from v{before['version']} " if before.get("version") else "") + (
            f"v{after['version']}"
        )
    return ""
