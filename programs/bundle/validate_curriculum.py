"""Checks of a bundle's rotations (with staffing) and yearly requirements."""

from __future__ import annotations

from typing import Any

from programs.bundle.checks import (
    Checker,
    Duplicates,
    Field,
    anything,
    choice,
    code,
    integer,
    list_of,
    optional,
    pgy_level,
    text,
    url_key,
)
from programs.bundle.context import Context
from programs.bundle.problems import index_path
from scheduling import xy

ROTATION_FIELDS = {
    "code": Field(url_key(32)),
    "name": Field(text(200)),
    "setting": Field(choice(*xy.SETTINGS)),
    "phase": Field(choice(*xy.ROTATION_PHASES)),
    "staffing": optional(anything),
    "max_consecutive_weeks": optional(integer(1, 53)),
    "min_run_weeks": optional(integer(1, 53)),
}
STAFFING_FIELDS = {
    "pgy": Field(list_of(pgy_level, min_items=1, unique=True)),
    "min": Field(integer(0, 1000)),
    "max": optional(integer(0, 1000)),
}
REQUIREMENT_FIELDS = {
    "tracks": Field(anything),
    "pgy": Field(list_of(pgy_level, min_items=1, unique=True)),
    "rotations": Field(list_of(code(32), min_items=1, unique=True)),
    "min_weeks": optional(integer(0, 53)),
    "max_weeks": optional(integer(0, 53)),
}


def check_rotations(c: Checker, value: Any, context: Context) -> None:
    """Unique codes, known setting and phase, staffing min <= max, min_run <= max_consecutive."""
    codes = Duplicates(c, "rotation code")
    entries = c.items(value, "$.rotations")
    context.rotations_checked = isinstance(value, list)
    for path, item in entries:
        rotation = c.record(item, path, ROTATION_FIELDS)
        if rotation is None:
            continue
        if "code" in rotation and codes.see(rotation["code"], f"{path}.code"):
            context.rotation_codes.add(rotation["code"])
        if rotation.get("setting") == "vacation":
            context.has_vacation_rotation = True
        if "staffing" in rotation:
            for rule_path, rule in c.items(rotation["staffing"], f"{path}.staffing"):
                _check_staffing_rule(c, rule, rule_path)
        low, high = rotation.get("min_run_weeks"), rotation.get("max_consecutive_weeks")
        if low is not None and high is not None and low > high:
            c.add(
                f"{path}.min_run_weeks",
                f"min_run_weeks {low} is greater than max_consecutive_weeks {high}",
            )


def _check_staffing_rule(c: Checker, value: Any, path: str) -> None:
    rule = c.record(value, path, STAFFING_FIELDS)
    if rule and "min" in rule and rule.get("max") is not None and rule["min"] > rule["max"]:
        c.add(f"{path}.min", f"min {rule['min']} is greater than max {rule['max']}")


def check_requirements(c: Checker, value: Any, context: Context) -> None:
    """Known track and rotation codes, a bound (min_weeks or max_weeks), min <= max, and no
    two requirements for the same tracks, PGY levels and rotations (they would contradict or
    repeat each other, and re-imports match requirements on exactly that)."""
    seen: dict[tuple, str] = {}
    for path, item in c.items(value, "$.requirements"):
        requirement = c.record(item, path, REQUIREMENT_FIELDS)
        if requirement is None:
            continue
        tracks_ok = "tracks" in requirement and _check_requirement_tracks(
            c, requirement["tracks"], f"{path}.tracks", context
        )
        rotations_ok = "rotations" in requirement and _check_known(
            c,
            requirement["rotations"],
            f"{path}.rotations",
            "rotation",
            context.rotation_codes,
            checked=context.rotations_checked,
        )
        low, high = requirement.get("min_weeks"), requirement.get("max_weeks")
        if isinstance(item, dict) and "min_weeks" not in item and "max_weeks" not in item:
            c.add(path, "needs min_weeks, max_weeks or both")
        if low is not None and high is not None and low > high:
            c.add(f"{path}.min_weeks", f"min_weeks {low} is greater than max_weeks {high}")
        if tracks_ok and rotations_ok and "pgy" in requirement:
            key = requirement_key(requirement)
            if key in seen:
                c.add(path, f"same tracks, PGY levels and rotations as {seen[key]}")
            seen.setdefault(key, path)


def requirement_key(requirement: dict[str, Any]) -> tuple:
    """What identifies a requirement across imports: its tracks, PGY levels and rotations."""
    tracks = requirement["tracks"]
    return (
        "*" if tracks == "*" else frozenset(tracks),
        frozenset(requirement["pgy"]),
        frozenset(requirement["rotations"]),
    )


def _check_requirement_tracks(c: Checker, value: Any, path: str, context: Context) -> bool:
    if value == "*":
        return True
    if not isinstance(value, list):
        c.add(path, 'expected "*" (every track) or a list of track codes')
        return False
    if not list_of(code(32), min_items=1, unique=True)(c, value, path):
        return False
    return _check_known(
        c, value, path, "track", context.track_codes, checked=context.tracks_checked
    )


def _check_known(
    c: Checker, codes: list[str], path: str, what: str, known: set[str], *, checked: bool
) -> bool:
    """Reports each code of `codes` that is not in `known` (when the list was checked)."""
    ok = True
    for index, value in enumerate(codes):
        if checked and value not in known:
            c.add(index_path(path, index), f"unknown {what} {value!r}")
            ok = False
    return ok
