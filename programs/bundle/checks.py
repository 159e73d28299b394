"""Small building blocks for checking a parsed bundle in plain Python.

A `Checker` collects problems; `record()` checks one JSON object against a table of fields
(required or optional, each with a value check) and returns the keys whose values passed, so
that the cross-record rules only ever look at well-typed values. A value check is a function
`(checker, value, path) -> bool` that reports its own problems, which lets list checks point
at the exact item (`$.residents[3].requests[0].weeks[1]`).
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from programs.bundle.problems import Problem, index_path, key_path
from programs.validators import EARLIEST_DATE, LATEST_DATE, is_sane_date, is_url_key, printable

Check = Callable[["Checker", Any, str], bool]

#: PGY levels of an internal-medicine residency.
PGY_LEVELS = (1, 2, 3)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = True


def optional(check: Check) -> Field:
    return Field(check, required=False)


class Checker:
    """Collects every problem found, in document order."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def record(self, value: Any, path: str, fields: Mapping[str, Field]) -> dict[str, Any] | None:
        """The object's valid fields, or None when `value` is not an object at all.

        Reports missing required keys at the key's own path, unknown keys, and bad values.
        """
        if not isinstance(value, dict):
            self.add(path, f"expected an object, got {describe(value)}")
            return None
        valid: dict[str, Any] = {}
        for key, spec in fields.items():
            if key not in value:
                if spec.required:
                    self.add(key_path(path, key), "required key is missing")
                continue
            if spec.check(self, value[key], key_path(path, key)):
                valid[key] = value[key]
        for key in value:
            if key not in fields:
                self.add(key_path(path, str(key)), "unknown key")
        return valid

    def items(self, value: Any, path: str) -> list[tuple[str, Any]]:
        """`(path, item)` for each item of the list at `path`; reports a non-list."""
        if not isinstance(value, list):
            self.add(path, f"expected a list, got {describe(value)}")
            return []
        return [(index_path(path, index), item) for index, item in enumerate(value)]


def describe(value: Any) -> str:
    """A short, user-facing rendering of a JSON value for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def text(max_length: int, *, blank: bool = False) -> Check:
    """A string of at most `max_length` characters; not empty unless `blank`."""

    def check(c: Checker, value: Any, path: str) -> bool:
        if not isinstance(value, str):
            c.add(path, f"expected a string, got {describe(value)}")
            return False
        if not blank and not value.strip():
            c.add(path, "must not be empty")
            return False
        if len(value) > max_length:
            c.add(path, f"must be at most {max_length} characters, got {len(value)}")
            return False
        if not printable(value):
            c.add(path, "must not contain control characters or invalid Unicode")
            return False
        return True

    return check


def code(max_length: int) -> Check:
    """An identifier (resident or faculty id) or a reference to a track or rotation code: no
    spaces, not `*`. Codes themselves are defined with the stricter `url_key`."""
    as_text = text(max_length)

    def check(c: Checker, value: Any, path: str) -> bool:
        if not as_text(c, value, path):
            return False
        if any(ch.isspace() for ch in value) or value == "*":
            c.add(path, f"must not contain spaces or be '*', got {describe(value)}")
            return False
        return True

    return check


def url_key(max_length: int) -> Check:
    """What becomes part of a web address (program slug, academic-year name, track or rotation
    code): the one pattern of `programs.validators.URL_KEY_RE`."""
    as_text = text(max_length)

    def check(c: Checker, value: Any, path: str) -> bool:
        if not as_text(c, value, path):
            return False
        if not is_url_key(value):
            c.add(
                path,
                "expected letters, digits, '-' or '_' only, starting with a letter or digit "
                f"(it becomes part of web addresses), e.g. '2027-2028'; got {describe(value)}",
            )
            return False
        return True

    return check


slug = url_key(64)


def email(c: Checker, value: Any, path: str) -> bool:
    if not text(254)(c, value, path):
        return False
    try:
        validate_email(value)
    except ValidationError:
        c.add(path, f"expected an e-mail address, got {describe(value)}")
        return False
    return True


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone(c: Checker, value: Any, path: str) -> bool:
    if not text(64)(c, value, path):
        return False
    if value not in _timezones():
        c.add(path, f"expected an IANA time zone such as 'America/New_York', got {describe(value)}")
        return False
    return True


def integer(low: int, high: int | None = None) -> Check:
    """An integer within [low, high] (no upper bound when `high` is None)."""

    def check(c: Checker, value: Any, path: str) -> bool:
        if is_int(value) and value >= low and (high is None or value <= high):
            return True
        wanted = f"from {low} to {high}" if high is not None else f"of at least {low}"
        c.add(path, f"expected an integer {wanted}, got {describe(value)}")
        return False

    return check


def choice(*values: str) -> Check:
    def check(c: Checker, value: Any, path: str) -> bool:
        if isinstance(value, str) and value in values:
            return True
        c.add(path, f"expected one of {', '.join(values)}; got {describe(value)}")
        return False

    return check


def share(c: Checker, value: Any, path: str) -> bool:
    """A fraction from 0 to 1 with at most three decimals (the database keeps three)."""
    if not is_number(value) or not 0 <= value <= 1:
        c.add(path, f"expected a number from 0 to 1, got {describe(value)}")
        return False
    if Decimal(str(value)).as_tuple().exponent < -3:
        c.add(path, f"expected at most 3 decimals, got {describe(value)}")
        return False
    return True


def pgy_level(c: Checker, value: Any, path: str) -> bool:
    if is_int(value) and value in PGY_LEVELS:
        return True
    c.add(path, f"expected a PGY level 1, 2 or 3, got {describe(value)}")
    return False


def parse_day(value: str) -> datetime.date | None:
    if not _DATE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def monday(c: Checker, value: Any, path: str) -> bool:
    """A `YYYY-MM-DD` date that is a Monday (weeks start on Mondays)."""
    if not isinstance(value, str) or (day := parse_day(value)) is None:
        c.add(path, f"expected a date as YYYY-MM-DD, got {describe(value)}")
        return False
    if not is_sane_date(day):
        c.add(path, f"expected a date from {EARLIEST_DATE} to {LATEST_DATE}, got {describe(value)}")
        return False
    if day.weekday() != 0:
        c.add(path, f"expected a Monday, got {value} (a {_DAYS[day.weekday()]})")
        return False
    return True


def list_of(item: Check, *, min_items: int = 0, unique: bool = False) -> Check:
    """A list whose every item passes `item`; reports each bad item at its index."""

    def check(c: Checker, value: Any, path: str) -> bool:
        entries = c.items(value, path)
        if not isinstance(value, list):
            return False
        ok = True
        seen: dict[Any, int] = {}
        for index, (item_path, entry) in enumerate(entries):
            if not item(c, entry, item_path):
                ok = False
                continue
            if unique:
                marker = entry.casefold() if isinstance(entry, str) else entry
                if marker in seen:
                    c.add(
                        item_path, f"{describe(entry)} is listed twice (also at [{seen[marker]}])"
                    )
                    ok = False
                seen.setdefault(marker, index)
        if len(value) < min_items:
            c.add(path, f"expected at least {min_items} item{'s' if min_items > 1 else ''}")
            ok = False
        return ok

    return check


def anything(c: Checker, value: Any, path: str) -> bool:
    """Accepts the value here; a dedicated function checks it afterwards."""
    return True


class Duplicates:
    """Reports a value (code, id, e-mail) seen before, naming where it was first seen."""

    def __init__(self, checker: Checker, what: str) -> None:
        self.checker = checker
        self.what = what
        self.first: dict[str, str] = {}

    def see(self, value: str, path: str) -> bool:
        """True the first time `value` is seen (case-insensitively); reports it afterwards."""
        marker = value.casefold()
        if marker in self.first:
            self.checker.add(
                path, f"duplicate {self.what} {value!r} (first at {self.first[marker]})"
            )
            return False
        self.first[marker] = path
        return True
