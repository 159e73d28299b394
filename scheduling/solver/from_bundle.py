"""Turn a ``residency-bundle/1`` dict into a solver ``Problem`` for one academic year.

Request weeks are ISO dates; they become 0-based week indices of the chosen year, and dates
outside that year (requests for another year) are ignored. See spec/program-bundle.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduling.solver.problem import (
    Problem,
    RequirementSpec,
    ResidentSpec,
    RotationSpec,
    StaffingSpec,
    TrackSpec,
)

BUNDLE_FORMAT = "residency-bundle/1"


def pick_year(bundle: dict[str, Any], year_name: str | None = None) -> dict[str, Any]:
    """Return the academic year named ``year_name`` (the first one when None)."""
    years = bundle.get("academic_years") or []
    if not years:
        raise ValueError("the bundle has no academic_years")
    if year_name is None:
        return years[0]
    for year in years:
        if year["name"] == year_name:
            return year
    names = ", ".join(y["name"] for y in years)
    raise ValueError(f"academic year {year_name!r} is not in the bundle (it has {names})")


def week_index(day: str | date, start: date, weeks: int) -> int | None:
    """Return the 0-based index of the week containing ``day``, or None outside the year."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    offset = (when - start).days
    if offset < 0 or offset >= 7 * weeks:
        return None
    return offset // 7


def _weeks(days: list[str], start: date, weeks: int) -> tuple[int, ...]:
    found = {week_index(d, start, weeks) for d in days}
    return tuple(sorted(w for w in found if w is not None))


def _rotation(raw: dict[str, Any]) -> RotationSpec:
    staffing = tuple(
        StaffingSpec(
            pgy=tuple(int(p) for p in s["pgy"]),
            min=int(s.get("min") or 0),
            max=None if s.get("max") is None else int(s["max"]),
        )
        for s in raw.get("staffing") or []
    )
    return RotationSpec(
        code=raw["code"],
        name=raw.get("name", raw["code"]),
        setting=raw["setting"],
        phase=raw.get("phase", "any"),
        staffing=staffing,
        max_consecutive_weeks=raw.get("max_consecutive_weeks"),
        min_run_weeks=raw.get("min_run_weeks"),
    )


def _resident(raw: dict[str, Any], start: date, weeks: int) -> ResidentSpec:
    vacation: set[int] = set()
    leave: set[int] = set()
    prefers: list[tuple[str, int]] = []
    avoids: list[tuple[str, tuple[int, ...], int]] = []
    for request in raw.get("requests") or []:
        kind = request.get("kind")
        if kind == "vacation":
            vacation.update(_weeks(request.get("weeks", []), start, weeks))
        elif kind == "leave":
            leave.update(_weeks(request.get("weeks", []), start, weeks))
        elif kind == "prefer":
            prefers.append((request["rotation"], int(request.get("weight", 1))))
        elif kind == "avoid":
            avoid_weeks = _weeks(request.get("weeks", []), start, weeks)
            if avoid_weeks:
                avoids.append((request["rotation"], avoid_weeks, int(request.get("weight", 1))))
    cohort = raw.get("cohort")
    return ResidentSpec(
        id=str(raw["id"]),
        name=raw.get("name", ""),
        pgy=int(raw["pgy"]),
        track=raw["track"],
        cohort=None if cohort is None else int(cohort),
        vacation_weeks=tuple(sorted(vacation)),
        leave_weeks=tuple(sorted(leave)),
        prefers=tuple(prefers),
        avoids=tuple(avoids),
    )


def problem_from_bundle(bundle: dict[str, Any], year_name: str | None = None) -> Problem:
    """Return the ``Problem`` of one academic year of a residency-bundle/1 dict.

    Residents keep the cohort the bundle gives them; missing cohorts stay ``None`` and are
    chosen by the solver (``Problem.with_cohorts``).
    """
    if bundle.get("format") != BUNDLE_FORMAT:
        raise ValueError(f"expected format {BUNDLE_FORMAT!r}, got {bundle.get('format')!r}")
    year = pick_year(bundle, year_name)
    start, weeks = date.fromisoformat(year["start"]), int(year["weeks"])
    template = bundle["template"]
    requirements = tuple(
        RequirementSpec(
            index=i,
            tracks=None if q.get("tracks", "*") == "*" else tuple(q["tracks"]),
            pgy=tuple(int(p) for p in q["pgy"]),
            rotations=tuple(q["rotations"]),
            min_weeks=q.get("min_weeks"),
            max_weeks=q.get("max_weeks"),
        )
        for i, q in enumerate(bundle.get("requirements") or [], start=1)
    )
    tracks = tuple(
        TrackSpec(
            code=t["code"],
            name=t.get("name", t["code"]),
            ambulatory_min=float((t.get("ambulatory_share") or [0, 1])[0]),
            ambulatory_max=float((t.get("ambulatory_share") or [0, 1])[1]),
        )
        for t in bundle.get("tracks") or []
    )
    return Problem(
        weeks=weeks,
        x_weeks=int(template["x_weeks"]),
        y_weeks=int(template["y_weeks"]),
        cohorts=int(template["cohorts"]),
        rotations=tuple(_rotation(r) for r in bundle.get("rotations") or []),
        requirements=requirements,
        tracks=tracks,
        residents=tuple(_resident(r, start, weeks) for r in bundle.get("residents") or []),
        year_name=year["name"],
        year_start=start,
        program=bundle.get("program", {}).get("slug", ""),
    )
