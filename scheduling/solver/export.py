"""Write a solve result as a ``residency-schedule/1`` export (spec/program-bundle.md).

Exactly one assignment per resident per week, except leave weeks, which have none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduling.solver.from_bundle import pick_year
from scheduling.solver.problem import SolveResult
from scheduling.xy import week_start

SCHEDULE_FORMAT = "residency-schedule/1"


def schedule_export(
    bundle: dict[str, Any], year_name: str | None, result: SolveResult, *, status: str = "draft"
) -> dict[str, Any]:
    """Return the residency-schedule/1 dict of ``result`` for one year of ``bundle``."""
    year = pick_year(bundle, year_name)
    start = date.fromisoformat(year["start"])
    weeks = [week_start(start, w).isoformat() for w in range(int(year["weeks"]))]
    assignments = [
        {"resident": rid, "week": weeks[w], "rotation": code}
        for rid, row in result.assignments.items()
        for w, code in enumerate(row)
        if code is not None
    ]
    return {
        "format": SCHEDULE_FORMAT,
        "program": bundle.get("program", {}).get("slug", ""),
        "academic_year": year["name"],
        "status": status,
        "weeks": weeks,
        "cohorts": dict(result.cohorts),
        "assignments": assignments,
    }
