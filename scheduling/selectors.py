"""Read-side queries for schedules: the solver's input, the grid, diffs, exports.

Each selector runs a fixed number of queries whatever the program's size (the grid of 400
residents x 52 weeks included): rows come in with `select_related` and assignments as
plain tuples.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from programs.bundle.exporter import bundle_export
from programs.clock import program_today
from programs.models import AcademicYear, Program, Resident, Rotation
from scheduling.hard_rules import Violation, schedule_violations
from scheduling.models import (
    Assignment,
    BuildJob,
    Schedule,
    ScheduleVersion,
    VersionResident,
)
from scheduling.solver.from_bundle import problem_from_bundle
from scheduling.solver.problem import Problem
from scheduling.solver.wording import verdict
from scheduling.xy import is_y_week

SCHEDULED_STATUSES = (Resident.Status.ACTIVE, Resident.Status.LEAVE)


def schedule_current_week(*, year: AcademicYear, today: datetime.date | None = None) -> int | None:
    """Today's 0-based week in `year` (today where the program is), or None outside it."""
    return year.week_index(today or program_today(year.program))


def version_rows(*, version: ScheduleVersion) -> dict[str, list[str | None]]:
    """Every resident's rotation code per week (None on leave), keyed by external id.

    Reads the assignments as bare ids (no joins) and maps them through two small lookups:
    20,800 cells for 400 residents come back several times faster that way.
    """
    weeks = version.schedule.academic_year.weeks
    external = dict(
        VersionResident.objects.filter(version=version).values_list(
            "resident_id", "resident__external_id"
        )
    )
    codes = dict(
        Rotation.objects.filter(program_id=version.schedule.program_id).values_list("pk", "code")
    )
    by_pk: dict[int, list[str | None]] = {pk: [None] * weeks for pk in external}
    for resident_id, week, rotation_id in Assignment.objects.filter(version=version).values_list(
        "resident_id", "week", "rotation_id"
    ):
        row = by_pk.get(resident_id)
        if row is None:
            continue
        row[week] = codes[rotation_id]
    return {external[pk]: row for pk, row in by_pk.items()}


def version_verdict(*, version: ScheduleVersion) -> str:
    """What the solver's result for `version` means, in a director's words: the sentences
    its build stored (the verdict and whether optimality covers only the chosen cohorts), else one
    worded from the stored status and gap. Empty for versions the solver did not build."""
    if not version.solver_status:
        return ""
    said = (
        BuildJob.objects.filter(result_version=version)
        .values_list("explanation", flat=True)
        .first()
    )
    if said:
        return " ".join(said)  # the verdict, and what the cohorts' proof covers
    return verdict(version.solver_status, gap=version.gap, has_schedule=True)


def version_pins(*, version: ScheduleVersion) -> set[tuple[str, int]]:
    return set(
        Assignment.objects.filter(version=version, pinned=True).values_list(
            "resident__external_id", "week"
        )
    )


def schedule_history_weeks(*, schedule: Schedule, today: datetime.date | None = None) -> int:
    """How many weeks of `schedule` are history: the weeks before this one (today where the
    program is) once a version is published; 0 before that or before the year starts, the
    whole year once it is over. No build, re-solve, edit, pin, swap or import changes them
    (issue 11: a July-November already worked is not rewritten in December)."""
    if not schedule.published_version_id:
        return 0
    year = schedule.academic_year
    days = ((today or program_today(schedule.program)) - year.start).days
    return max(0, min(year.weeks, days // 7))


def schedule_problem(
    *,
    schedule: Schedule,
    base_version: ScheduleVersion | None = None,
    freeze_before_week: int | None = None,
    history_version: ScheduleVersion | None = None,
) -> Problem:
    """The solver's input for `schedule`, built from the program's bundle.

    With `base_version`, its cohorts are kept, its pinned cells become fixed, and the rest of
    it is given as hints, so a re-solve changes as little as it can (a mid-year change must
    not reshuffle everyone). Every week before `freeze_before_week` is history: taken from
    `history_version` (default `base_version`, the published version for a build from
    scratch) as fixed cells, an empty history cell as a week off, and approved vacation or
    leave in those weeks gives way to what happened.
    """
    program = schedule.program
    year = schedule.academic_year
    problem = problem_from_bundle(bundle_export(program=program), year.name)
    scheduled = set(
        Resident.objects.filter(program=program, status__in=SCHEDULED_STATUSES).values_list(
            "external_id", flat=True
        )
    )
    residents = tuple(r for r in problem.residents if r.id in scheduled)
    freeze = freeze_before_week or 0
    history_version = history_version or base_version
    if base_version is None and not (freeze and history_version is not None):
        return replace(problem, residents=residents)
    cohort_source = base_version or history_version
    cohorts = dict(
        VersionResident.objects.filter(version=cohort_source).values_list(
            "resident__external_id", "cohort"
        )
    )
    residents = tuple(replace(r, cohort=cohorts[r.id]) if r.id in cohorts else r for r in residents)
    fixed: dict[tuple[str, int], str] = {}
    hints: dict[tuple[str, int], str] = {}
    if base_version is not None:
        rows = version_rows(version=base_version)
        pins = version_pins(version=base_version)
        leave = {r.id: set(r.leave_weeks) for r in residents}
        for rid, row in rows.items():
            if rid not in leave:
                continue
            for week, code in enumerate(row):
                if code is None or week in leave[rid] or week < freeze:
                    continue
                if (rid, week) in pins:
                    fixed[(rid, week)] = code
                else:
                    hints[(rid, week)] = code
    if freeze:
        past = version_rows(version=history_version)
        kept = []
        for res in residents:
            row = past.get(res.id) or [None] * year.weeks
            off = {w for w in range(freeze) if row[w] is None}
            for w in range(freeze):
                if row[w] is not None:
                    fixed[(res.id, w)] = row[w]
            kept.append(
                replace(
                    res,
                    leave_weeks=tuple(sorted(off | {w for w in res.leave_weeks if w >= freeze})),
                    vacation_weeks=tuple(w for w in res.vacation_weeks if w >= freeze),
                )
            )
        residents = tuple(kept)
    return replace(problem, residents=residents, fixed=fixed, hints=hints)


def version_history_changes(
    *, version: ScheduleVersion, rows: dict[str, list[str | None]] | None = None
) -> list[tuple[str, int]]:
    """The history cells (resident external id, week) in which `version` (or `rows`, a
    result about to be stored) differs from the published version; empty when it keeps
    history as it was."""
    schedule = version.schedule
    weeks = schedule_history_weeks(schedule=schedule)
    if not weeks or schedule.published_version_id == version.pk:
        return []
    past = version_rows(version=schedule.published_version)
    mine = rows if rows is not None else version_rows(version=version)
    changed = []
    for rid in sorted(set(past) | set(mine)):
        a = past.get(rid) or [None] * weeks
        b = mine.get(rid) or [None] * weeks
        changed.extend((rid, w) for w in range(weeks) if a[w] != b[w])
    return changed


@dataclass
class GridRow:
    resident: Resident
    pgy: int
    track_code: str
    cohort: int
    cells: list[tuple[str | None, bool, bool]]  # (rotation code, pinned, is Y week)


@dataclass
class Grid:
    version: ScheduleVersion
    weeks: list[datetime.date]
    rows: list[GridRow]
    rotations: dict[str, Rotation]
    current_week: int | None


def version_grid(
    *,
    version: ScheduleVersion,
    pgy: int | None = None,
    track: str | None = None,
    cohort: int | None = None,
) -> Grid:
    """The grid of `version` (residents x weeks), filtered; four queries whatever its size."""
    schedule = version.schedule
    program: Program = schedule.program
    year = schedule.academic_year
    rotations = {r.code: r for r in Rotation.objects.for_program(program)}
    by_id = {r.pk: r for r in rotations.values()}
    members = (
        VersionResident.objects.filter(version=version)
        .filtered(pgy=pgy, track=track, cohort=cohort)
        .select_related("resident", "track")
    )
    members = list(members.order_by("pgy", "track__position", "resident__name"))
    cells: dict[int, dict[int, tuple[int, bool]]] = defaultdict(dict)
    assignments = Assignment.objects.filter(version=version)
    if len(members) < 100:
        assignments = assignments.filter(resident__in=[m.resident_id for m in members])
    for resident_id, week, rotation_id, pinned in assignments.values_list(
        "resident_id", "week", "rotation_id", "pinned"
    ):
        cells[resident_id][week] = (rotation_id, pinned)
    template = {"x_weeks": program.x_weeks, "y_weeks": program.y_weeks, "cohorts": program.cohorts}
    rows = []
    for member in members:
        mine = cells.get(member.resident_id, {})
        row = []
        for week in range(year.weeks):
            rotation_id, pinned = mine.get(week, (None, False))
            code = by_id[rotation_id].code if rotation_id else None
            row.append((code, pinned, is_y_week(week, member.cohort, **template)))
        rows.append(GridRow(member.resident, member.pgy, member.track.code, member.cohort, row))
    return Grid(
        version=version,
        weeks=[year.week_start(w) for w in range(year.weeks)],
        rows=rows,
        rotations=rotations,
        current_week=schedule_current_week(year=year),
    )


def version_diff(
    *, old: ScheduleVersion, new: ScheduleVersion
) -> dict[str, list[tuple[int, str | None, str | None]]]:
    """Per resident external id, the weeks whose rotation differs: (week, old, new)."""
    before, after = version_rows(version=old), version_rows(version=new)
    changes: dict[str, list[tuple[int, str | None, str | None]]] = {}
    for rid in sorted(set(before) | set(after)):
        weeks = max(len(before.get(rid, [])), len(after.get(rid, [])))
        a = before.get(rid, [None] * weeks)
        b = after.get(rid, [None] * weeks)
        diff = [(w, a[w], b[w]) for w in range(weeks) if a[w] != b[w]]
        if diff:
            changes[rid] = diff
    return changes


def version_export(*, version: ScheduleVersion) -> dict:
    """The version as a `residency-schedule/1` document (spec/program-bundle.md)."""
    schedule = version.schedule
    year = schedule.academic_year
    weeks = [year.week_start(w).isoformat() for w in range(year.weeks)]
    cohorts = dict(
        VersionResident.objects.filter(version=version)
        .order_by("resident__external_id")
        .values_list("resident__external_id", "cohort")
    )
    assignments = [
        {"resident": rid, "week": weeks[week], "rotation": code}
        for rid, week, code in Assignment.objects.filter(version=version)
        .order_by("resident__external_id", "week")
        .values_list("resident__external_id", "week", "rotation__code")
    ]
    status = "published" if version.status == ScheduleVersion.Status.PUBLISHED else "draft"
    return {
        "format": "residency-schedule/1",
        "program": schedule.program.slug,
        "academic_year": year.name,
        "status": status,
        "weeks": weeks,
        "cohorts": cohorts,
        "assignments": assignments,
    }


def schedule_working_version(*, schedule: Schedule) -> ScheduleVersion | None:
    """The newest draft, or else the published version."""
    draft = (
        schedule.versions.filter(status=ScheduleVersion.Status.DRAFT).order_by("-number").first()
    )
    return draft or schedule.published_version


def version_problem(*, version: ScheduleVersion) -> Problem:
    """The rules a stored version is checked against, with the roster stored with it: the
    residents it schedules with the PGY level, track and cohort they had in it, whatever
    has happened since (a roll-over, a track change, a graduation)."""
    schedule = version.schedule
    bundle = bundle_export(program=schedule.program, statuses=tuple(Resident.Status.values))
    problem = problem_from_bundle(bundle, schedule.academic_year.name)
    stored = {
        rid: (pgy, track, cohort)
        for rid, pgy, track, cohort in VersionResident.objects.filter(version=version).values_list(
            "resident__external_id", "pgy", "track__code", "cohort"
        )
    }
    residents = tuple(
        replace(r, pgy=stored[r.id][0], track=stored[r.id][1], cohort=stored[r.id][2])
        for r in problem.residents
        if r.id in stored
    )
    return replace(problem, residents=residents)


def version_violations(*, version: ScheduleVersion) -> list[Violation]:
    """Every hard rule the version breaks (empty for what the solver built, until hand edits),
    checked against the roster stored with the version (`version_problem`)."""
    return schedule_violations(version_problem(version=version), version_rows(version=version))


def version_coverage(*, version: ScheduleVersion) -> list[dict]:
    """Per rotation and staffing rule: residents staffed each week vs the rule's min and max."""
    schedule = version.schedule
    weeks = schedule.academic_year.weeks
    pgy_of = dict(VersionResident.objects.filter(version=version).values_list("resident_id", "pgy"))
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    for resident_id, week, rotation_id in Assignment.objects.filter(version=version).values_list(
        "resident_id", "week", "rotation_id"
    ):
        counts[(rotation_id, week, pgy_of.get(resident_id, 0))] += 1
    lines = []
    rotations = Rotation.objects.filter(program=schedule.program).prefetch_related("staffing")
    for rotation in rotations:
        rules = list(rotation.staffing.all()) or [None]
        for rule in rules:
            levels = rule.pgy_levels if rule else [1, 2, 3, 4, 5, 6, 7]
            cells = []
            for week in range(weeks):
                staffed = sum(counts.get((rotation.pk, week, level), 0) for level in levels)
                low = rule.min_residents if rule else 0
                high = rule.max_residents if rule else None
                state = "ok"
                if staffed < low:
                    state = "under"
                elif high is not None and staffed > high:
                    state = "over"
                cells.append({"staffed": staffed, "state": state})
            lines.append(
                {
                    "rotation": rotation,
                    "label": "PGY-" + "/".join(str(v) for v in levels) if rule else "all",
                    "min": rule.min_residents if rule else None,
                    "max": rule.max_residents if rule else None,
                    "cells": cells,
                }
            )
    return lines
