"""Checks of a bundle's residents (with their requests) and faculty."""

from __future__ import annotations

from datetime import date
from typing import Any

from programs.bundle.checks import (
    Checker,
    Duplicates,
    Field,
    anything,
    choice,
    code,
    email,
    integer,
    list_of,
    monday,
    optional,
    pgy_level,
    text,
)
from programs.bundle.context import Context
from programs.bundle.problems import index_path

KINDS = ("vacation", "leave", "prefer", "avoid")
RESIDENT_FIELDS = {
    "id": Field(code(64)),
    "name": Field(text(200)),
    "email": Field(email),
    "pgy": Field(pgy_level),
    "track": Field(code(32)),
    "cohort": optional(integer(0, 51)),
    "interests": optional(list_of(text(100), unique=True)),
    "requests": optional(anything),
}
_WEEKS = Field(list_of(monday, min_items=1, unique=True))
_ROTATION = Field(code(32))
_WEIGHT = Field(integer(1, 10))
_KIND = Field(choice(*KINDS))
REQUEST_FIELDS = {
    "vacation": {"kind": _KIND, "weeks": _WEEKS},
    "leave": {"kind": _KIND, "weeks": _WEEKS},
    "prefer": {"kind": _KIND, "rotation": _ROTATION, "weight": _WEIGHT},
    "avoid": {"kind": _KIND, "rotation": _ROTATION, "weeks": _WEEKS, "weight": _WEIGHT},
}
FACULTY_FIELDS = {
    "id": Field(code(64)),
    "name": Field(text(200)),
    "email": Field(email),
    "mentor_capacity": Field(integer(0, 100)),
    "interests": Field(list_of(text(100), unique=True)),
}


def check_residents(c: Checker, value: Any, context: Context) -> None:
    """Unique ids and e-mails, a known track, a cohort below the template's, valid requests."""
    ids = Duplicates(c, "resident id")
    emails = Duplicates(c, "resident e-mail")
    for path, item in c.items(value, "$.residents"):
        resident = c.record(item, path, RESIDENT_FIELDS)
        if resident is None:
            continue
        if "id" in resident:
            ids.see(resident["id"], f"{path}.id")
        if "email" in resident:
            emails.see(resident["email"], f"{path}.email")
        track = resident.get("track")
        if track is not None and context.tracks_checked and track not in context.track_codes:
            c.add(f"{path}.track", f"unknown track {track!r}")
        cohort = resident.get("cohort")
        if cohort is not None and context.cohorts is not None and cohort >= context.cohorts:
            c.add(
                f"{path}.cohort",
                f"expected a cohort from 0 to {context.cohorts - 1} "
                f"(the template has {context.cohorts} cohorts), got {cohort}",
            )
        if "requests" in resident:
            _check_requests(c, resident["requests"], f"{path}.requests", context)


def _check_requests(c: Checker, value: Any, path: str, context: Context) -> None:
    """Each request by kind; weeks fall in an academic year; vacation never in a leave week."""
    leave_weeks: dict[str, str] = {}
    vacation_weeks: list[tuple[str, str]] = []
    for request_path, item in c.items(value, path):
        kind = item.get("kind") if isinstance(item, dict) else None
        if not isinstance(item, dict) or kind not in KINDS:
            if isinstance(item, dict) and "kind" not in item:
                c.add(f"{request_path}.kind", "required key is missing")
            elif isinstance(item, dict):
                _KIND.check(c, kind, f"{request_path}.kind")
            else:
                c.add(request_path, "expected an object with a kind")
            continue
        request = c.record(item, request_path, _request_fields(kind, context))
        rotation = request.get("rotation")
        if (
            rotation is not None
            and context.rotations_checked
            and rotation not in context.rotation_codes
        ):
            c.add(f"{request_path}.rotation", f"unknown rotation {rotation!r}")
        if kind == "vacation" and context.rotations_checked and not context.has_vacation_rotation:
            c.add(
                f"{request_path}.kind",
                "a vacation request needs a rotation with setting 'vacation'; the bundle has none",
            )
        for index, week in enumerate(request.get("weeks", ())):
            week_path = index_path(f"{request_path}.weeks", index)
            if kind == "leave":
                leave_weeks.setdefault(week, request_path)
            elif kind == "vacation":
                vacation_weeks.append((week, week_path))
    for week, week_path in vacation_weeks:
        if week in leave_weeks:
            c.add(week_path, f"{week} is also a leave week ({leave_weeks[week]})")


def _request_fields(kind: str, context: Context) -> dict[str, Field]:
    """The fields of a request of `kind`; its weeks must also fall in an academic year."""
    fields = REQUEST_FIELDS[kind]
    if "weeks" not in fields or not context.years_complete:
        return fields

    def week(c: Checker, value: Any, path: str) -> bool:
        if not monday(c, value, path):
            return False
        if context.year_of(date.fromisoformat(value)) is None:
            names = ", ".join(year.name for year in context.years) or "it has none"
            c.add(path, f"{value} is outside every academic year of the bundle ({names})")
            return False
        return True

    return fields | {"weeks": Field(list_of(week, min_items=1, unique=True))}


def check_faculty(c: Checker, value: Any) -> None:
    """Unique ids and e-mails."""
    ids = Duplicates(c, "faculty id")
    emails = Duplicates(c, "faculty e-mail")
    for path, item in c.items(value, "$.faculty"):
        member = c.record(item, path, FACULTY_FIELDS)
        if member is None:
            continue
        if "id" in member:
            ids.see(member["id"], f"{path}.id")
        if "email" in member:
            emails.see(member["email"], f"{path}.email")
