"""What a set-up change would do to the schedules being worked on, before it is saved.

"After this change, ICU has 1 PGY-1 in week 12; it needs at least 2": the program's bundle
with the changed record in place is turned into the solver's `Problem`, and the hard rules
(`scheduling.hard_rules`) are run over each year's working version (the newest draft, or the
published version). Only breaks the change causes are returned: those the version did not
already have under the current rules.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from programs.bundle.exporter import bundle_export
from programs.models import Program, Resident
from scheduling.hard_rules import schedule_violations
from scheduling.models import Schedule, VersionResident
from scheduling.selectors import schedule_working_version, version_rows
from scheduling.solver.from_bundle import problem_from_bundle

#: At most this many breaks are listed per version; the rest are counted.
SHOWN = 12


@dataclass(frozen=True)
class Impact:
    """The breaks a change causes in one version of one year."""

    year: str
    version: int
    messages: list[str]
    more: int


def change_impact(
    *,
    program: Program,
    section: str,
    record: dict[str, Any],
    replaces: str | None = None,
    at: int | None = None,
) -> list[Impact]:
    """The new hard-rule breaks, per working version, if `record` replaced the record of
    `section` keyed `replaces` (a rotation or a track code) or at index `at` (a
    requirement); neither adds it as a new record."""
    current = bundle_export(program=program, statuses=tuple(Resident.Status.values))
    if not Schedule.objects.filter(program=program, versions__isnull=False).exists():
        return []  # nothing built yet: nothing to break
    changed = copy.deepcopy(current)
    items = changed[section]
    index = at
    if index is None and replaces is not None:
        index = next((i for i, item in enumerate(items) if item["code"] == replaces), None)
    if index is None:
        items.append(record)
    elif replaces is not None:
        items[index] = record | {"code": replaces}  # a rename changes no assignment
    else:
        items[index] = record
    found = []
    schedules = Schedule.objects.filter(program=program).select_related(
        "academic_year", "published_version"
    )
    for schedule in schedules:
        version = schedule_working_version(schedule=schedule)
        if version is None:
            continue
        rows = version_rows(version=version)
        stored = {
            rid: (pgy, track, cohort)
            for rid, pgy, track, cohort in VersionResident.objects.filter(
                version=version
            ).values_list("resident__external_id", "pgy", "track__code", "cohort")
        }

        def breaks(bundle, year=schedule.academic_year.name, stored=stored, rows=rows):
            problem = problem_from_bundle(bundle, year)
            residents = tuple(
                replace(r, pgy=stored[r.id][0], track=stored[r.id][1], cohort=stored[r.id][2])
                for r in problem.residents
                if r.id in stored
            )
            problem = replace(problem, residents=residents)
            return {
                v.message: (v.rotation or "", v.weeks, v.resident_id or "", v.message)
                for v in schedule_violations(problem, rows)
            }

        after, before = breaks(changed), breaks(current)
        # In the order a director reads them: by rotation, then week.
        new = [m for m in sorted(after, key=after.__getitem__) if m not in before]
        if new:
            found.append(
                Impact(
                    year=schedule.academic_year.name,
                    version=version.number,
                    messages=new[:SHOWN],
                    more=max(0, len(new) - SHOWN),
                )
            )
    return found
