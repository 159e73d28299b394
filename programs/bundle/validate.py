"""Checks a residency-bundle/1 document and reports every problem with its JSON path.

`bundle_parse` turns uploaded bytes or text into JSON (or one problem naming the line and
column); `bundle_problems` checks the parsed document: the shape that `schema.json` publishes
plus the cross-record rules a JSON Schema cannot say (unknown or duplicate codes, min above
max, weeks outside the academic years...). See docs/bundle-format.md.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from programs.bundle.checks import (
    Checker,
    Duplicates,
    Field,
    anything,
    integer,
    monday,
    share,
    slug,
    text,
    timezone,
    url_key,
)
from programs.bundle.context import Context, Year
from programs.bundle.problems import BundleInvalid, Problem, index_path
from programs.bundle.validate_curriculum import check_requirements, check_rotations
from programs.bundle.validate_people import check_faculty, check_residents
from scheduling import xy

FORMAT = "residency-bundle/1"

TOP_FIELDS = {
    "format": Field(anything),
    "program": Field(anything),
    "academic_years": Field(anything),
    "template": Field(anything),
    "tracks": Field(anything),
    "rotations": Field(anything),
    "requirements": Field(anything),
    "residents": Field(anything),
    "faculty": Field(anything),
}
PROGRAM_FIELDS = {
    "slug": Field(slug),
    "name": Field(text(200)),
    "institution": Field(text(200, blank=True)),
    "timezone": Field(timezone),
}
YEAR_FIELDS = {
    "name": Field(url_key(32)),
    "start": Field(monday),
    "weeks": Field(integer(1, 53)),
}
TEMPLATE_FIELDS = {
    "x_weeks": Field(integer(1, 52)),
    "y_weeks": Field(integer(1, 52)),
    "cohorts": Field(integer(1, 52)),
}
TRACK_FIELDS = {
    "code": Field(url_key(32)),
    "name": Field(text(200)),
    "ambulatory_share": Field(anything),
}


def bundle_parse(raw: str | bytes) -> Any:
    """The JSON document in `raw` (UTF-8 bytes, a byte-order mark allowed, or text).

    Raises `BundleInvalid` with a single problem at `$` when the bytes are not UTF-8, the file
    is empty, or the JSON is malformed (naming the line and column, as an editor counts them).
    """
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BundleInvalid(
                [Problem("$", f"the file is not UTF-8 text (bad byte at position {error.start})")]
            ) from None
    raw = raw.removeprefix("\ufeff")
    if not raw.strip():
        raise BundleInvalid([Problem("$", "the file is empty")])

    def reject_constant(name: str) -> None:
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return json.loads(raw, parse_constant=reject_constant)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise BundleInvalid([Problem("$", message)]) from None
    except (ValueError, RecursionError) as error:
        raise BundleInvalid([Problem("$", f"not valid JSON: {error}")]) from None


def bundle_problems(data: Any) -> list[Problem]:
    """Every problem in the parsed bundle `data`, in document order; empty when it is valid."""
    c = Checker()
    top = c.record(data, "$", TOP_FIELDS)
    if top is None:
        return c.problems
    if "format" in top and top["format"] != FORMAT:
        c.add("$.format", f"expected {FORMAT!r}, got {top['format']!r}")
    context = Context()
    if "program" in top:
        c.record(top["program"], "$.program", PROGRAM_FIELDS)
    if "academic_years" in top:
        _check_years(c, top["academic_years"], context)
    if "template" in top:
        _check_template(c, top["template"], context)
    if "tracks" in top:
        _check_tracks(c, top["tracks"], context)
    if "rotations" in top:
        check_rotations(c, top["rotations"], context)
    if "requirements" in top:
        check_requirements(c, top["requirements"], context)
    if "residents" in top:
        check_residents(c, top["residents"], context)
    if "faculty" in top:
        check_faculty(c, top["faculty"])
    return c.problems


def _check_years(c: Checker, value: Any, context: Context) -> None:
    """Names and start days are unique; years do not overlap; there is at least one."""
    names = Duplicates(c, "academic year")
    problems_before = len(c.problems)
    entries = c.items(value, "$.academic_years")
    for path, item in entries:
        year = c.record(item, path, YEAR_FIELDS)
        if year is None:
            continue
        if "name" in year:
            names.see(year["name"], f"{path}.name")
        if "start" in year and "weeks" in year:
            start = date.fromisoformat(year["start"])
            for other in context.years:
                if start < other.end and other.start < start + timedelta(weeks=year["weeks"]):
                    c.add(f"{path}.start", f"the year overlaps academic year {other.name!r}")
                    break
            else:
                context.years.append(Year(year.get("name", ""), start, year["weeks"]))
    context.years_complete = len(c.problems) == problems_before


def _check_template(c: Checker, value: Any, context: Context) -> None:
    """The X+Y template; its cohorts must divide the cycle of x_weeks + y_weeks."""
    template = c.record(value, "$.template", TEMPLATE_FIELDS)
    if template is None:
        return
    context.x_weeks = template.get("x_weeks")
    context.y_weeks = template.get("y_weeks")
    cohorts = template.get("cohorts")
    if cohorts is None or context.x_weeks is None or context.y_weeks is None:
        return
    try:
        xy.cohort_step(x_weeks=context.x_weeks, y_weeks=context.y_weeks, cohorts=cohorts)
    except ValueError as error:
        c.add("$.template.cohorts", str(error))
        return
    context.cohorts = cohorts


def _check_tracks(c: Checker, value: Any, context: Context) -> None:
    """Unique codes and an ambulatory band `[min, max]` with min <= max."""
    codes = Duplicates(c, "track code")
    entries = c.items(value, "$.tracks")
    context.tracks_checked = isinstance(value, list)
    for path, item in entries:
        track = c.record(item, path, TRACK_FIELDS)
        if track is None:
            continue
        if "code" in track and codes.see(track["code"], f"{path}.code"):
            context.track_codes.add(track["code"])
        if "ambulatory_share" in track:
            check_band(c, track["ambulatory_share"], f"{path}.ambulatory_share")


def check_band(c: Checker, value: Any, path: str) -> None:
    if not isinstance(value, list) or len(value) != 2:
        c.add(path, "expected [min, max], two numbers from 0 to 1")
        return
    low_ok = share(c, value[0], index_path(path, 0))
    high_ok = share(c, value[1], index_path(path, 1))
    if low_ok and high_ok and value[0] > value[1]:
        c.add(path, f"min {value[0]} is greater than max {value[1]}")
