"""Checks a whole schedule against a program's hard rules, for live feedback while editing.

Pure Python over the solver's `Problem` (no ORM). The solver guarantees these rules for what
it builds; a director's hand edits may break them, and the grid shows every break at once.
The rules are the ones `spec/program-bundle.md` calls hard: phase, weekly staffing,
yearly requirements, run rules, approved vacation, leave, and the track's ambulatory band.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduling.solver.problem import Problem, ResidentSpec

#: What each hard rule is called on the page (a rule id is never shown to people).
RULE_TITLES: dict[str, str] = {
    "phase": "Wrong phase for the rotation",
    "staffing": "Service under- or over-staffed",
    "requirement": "Yearly requirement not met",
    "max_consecutive": "Too many weeks in a row",
    "min_run": "Stint too short",
    "vacation": "Approved vacation not honoured",
    "leave": "Leave week scheduled",
    "unscheduled": "Week left unscheduled",
    "ambulatory_band": "Ambulatory share outside the track's band",
    "pin": "Pinned week changed",
    "unknown": "Unknown rotation",
}


def rule_title(rule: str) -> str:
    """The title of hard rule `rule` for people; an unknown id becomes "Schedule rule"."""
    return RULE_TITLES.get(rule, "Schedule rule")


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, whom and which weeks it concerns, and a sentence."""

    rule: str
    message: str
    resident_id: str | None = None
    rotation: str | None = None
    weeks: tuple[int, ...] = field(default=())


def _runs(
    row: list[str | None],
    phase: tuple[str, ...] | None = None,
    phase_bound: frozenset[str] = frozenset(),
) -> list[tuple[str, int, int]]:
    """Maximal runs of the same rotation as (code, first week, last week).

    With `phase`, a run of an `x` or `y` rotation (per `phase_bound`) also ends where the
    resident's phase flips: for the min-run rule such a stint must fit inside its phase
    block. A run of an `any` rotation is not ended by a phase flip (spec, "Rotations").
    """
    runs: list[tuple[str, int, int]] = []
    start = 0
    for week in range(1, len(row) + 1):
        flips = (
            phase is not None
            and week < len(row)
            and row[start] in phase_bound
            and phase[week] != phase[week - 1]
        )
        if week == len(row) or row[week] != row[start] or flips:
            if row[start] is not None:
                runs.append((row[start], start, week - 1))
            start = week
    return runs


@dataclass
class _Lookups:
    """What every resident's check reads, built once per schedule rather than per resident."""

    rotations: dict
    tracks: dict
    phases: dict[int, tuple[str, ...]]
    phase_bound: frozenset[str] = frozenset()  # x/y rotations: their runs end at a flip
    names: dict[str, str] = field(default_factory=dict)  # ``Problem.resident_names``
    ambulatory: frozenset[str] = frozenset()  # codes counted by the track's band ...
    counted: frozenset[str] = frozenset()  # ... out of these (every code but vacation)
    codes: dict[int, frozenset[str]] = field(default_factory=dict)  # per requirement

    def name_of(self, person: ResidentSpec) -> str:
        """The resident as the messages name them."""
        return self.names.get(person.id) or person.label


def _resident_violations(
    problem: Problem, person: ResidentSpec, row: list[str | None], lookups: _Lookups
) -> list[Violation]:
    rotations = lookups.rotations
    if person.cohort not in lookups.phases:
        lookups.phases[person.cohort] = problem.phases_of(person)
    phase = lookups.phases[person.cohort]
    leave = set(person.leave_weeks)
    found: list[Violation] = []
    rid = person.id
    who = lookups.name_of(person)
    for week, code in enumerate(row):
        if week in leave:
            if code is not None:
                found.append(
                    Violation(
                        "leave",
                        f"{who} is on leave in week {week + 1} but scheduled on {code}.",
                        rid,
                        code,
                        (week,),
                    )
                )
            continue
        if code is None:
            found.append(
                Violation(
                    "unscheduled",
                    f"{who} has no rotation in week {week + 1}.",
                    rid,
                    None,
                    (week,),
                )
            )
            continue
        rotation = rotations.get(code)
        if rotation is None:
            found.append(Violation("unknown", f"Unknown rotation {code}.", rid, code, (week,)))
            continue
        if rotation.phase != "any" and rotation.phase != phase[week]:
            found.append(
                Violation(
                    "phase",
                    f"{code} is a {rotation.phase.upper()}-phase rotation but week {week + 1} "
                    f"is a {phase[week].upper()} week for {who}.",
                    rid,
                    code,
                    (week,),
                )
            )
    for week in person.vacation_weeks:
        code = row[week] if week < len(row) else None
        if week not in leave and (code is None or not rotations[code].is_vacation):
            found.append(
                Violation(
                    "vacation",
                    f"{who} has approved vacation in week {week + 1} but is on {code}.",
                    rid,
                    code,
                    (week,),
                )
            )
    for code, first, last in _runs(row):
        rotation = rotations.get(code)
        if rotation is None:
            continue
        length = last - first + 1
        if rotation.max_consecutive_weeks and length > rotation.max_consecutive_weeks:
            found.append(
                Violation(
                    "max_consecutive",
                    f"{who} is on {code} {length} weeks in a row "
                    f"(at most {rotation.max_consecutive_weeks}).",
                    rid,
                    code,
                    tuple(range(first, last + 1)),
                )
            )
    for code, first, last in _runs(row, phase, lookups.phase_bound):
        rotation = rotations.get(code)
        if rotation is None:
            continue
        length = last - first + 1
        cut_short = (
            first == 0 or last == len(row) - 1 or (first - 1) in leave or (last + 1) in leave
        )
        if rotation.min_run_weeks and length < rotation.min_run_weeks and not cut_short:
            found.append(
                Violation(
                    "min_run",
                    f"{who} has a {length}-week run of {code} "
                    f"(runs last at least {rotation.min_run_weeks}).",
                    rid,
                    code,
                    tuple(range(first, last + 1)),
                )
            )
    for requirement in problem.requirements:
        if not requirement.applies_to(person):
            continue
        codes = lookups.codes[requirement.index]
        have = sum(1 for c in row if c in codes)
        low, high = requirement.min_weeks, requirement.max_weeks
        if (low is not None and have < low) or (high is not None and have > high):
            weeks = tuple(w for w, c in enumerate(row) if c in codes)
            found.append(
                Violation(
                    "requirement",
                    f"{who} has {len(weeks)} weeks of {' or '.join(requirement.rotations)}"
                    f"; {requirement.describe()} is not met.",
                    rid,
                    None,
                    weeks,
                )
            )
    track = lookups.tracks.get(person.track)
    counted = sum(1 for c in row if c in lookups.counted) if track is not None else 0
    if counted:
        share = sum(1 for c in row if c in lookups.ambulatory) / counted
        if share < track.ambulatory_min - 1e-9 or share > track.ambulatory_max + 1e-9:
            found.append(
                Violation(
                    "ambulatory_band",
                    f"{who} is {share:.0%} ambulatory; the {track.code} track asks "
                    f"for {track.ambulatory_min:.0%}–{track.ambulatory_max:.0%}.",
                    rid,
                    None,
                    (),
                )
            )
    return found


def _lookups(problem: Problem) -> _Lookups:
    return _Lookups(
        problem.rotation_map,
        problem.track_map,
        {},
        phase_bound=frozenset(r.code for r in problem.rotations if r.phase != "any"),
        names=problem.resident_names,
        ambulatory=frozenset(r.code for r in problem.rotations if r.is_ambulatory),
        counted=frozenset(r.code for r in problem.rotations if not r.is_vacation),
        codes={q.index: frozenset(q.rotations) for q in problem.requirements},
    )


def resident_violations(
    problem: Problem, person: ResidentSpec, row: list[str | None]
) -> list[Violation]:
    """The rules one resident's row breaks on its own (everything but weekly staffing),
    plus pinned cells it does not keep (`problem.fixed`); the solver checks rows with it."""
    lookups = _lookups(problem)
    found = _resident_violations(problem, person, row, lookups)
    who = lookups.name_of(person)
    for (rid, week), code in problem.fixed.items():
        kept = rid != person.id or week >= len(row) or week in person.leave_weeks
        if not kept and row[week] != code:
            message = f"{who} is pinned to {code} in week {week + 1}."
            found.append(Violation("pin", message, rid, code, (week,)))
    return found


def schedule_violations(
    problem: Problem, assignments: dict[str, list[str | None]]
) -> list[Violation]:
    """Every hard rule `assignments` breaks; `problem` must have every resident's cohort set."""
    found: list[Violation] = []
    people = {p.id: p for p in problem.residents}
    lookups = _lookups(problem)
    for person in problem.residents:
        row = assignments.get(person.id) or [None] * problem.weeks
        found.extend(_resident_violations(problem, person, row, lookups))
    # Weekly staffing: count residents of each PGY group on each rotation every week.
    counts: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for rid, row in assignments.items():
        person = people.get(rid)
        if person is None:
            continue
        for week, code in enumerate(row):
            if code is not None:
                counts[(code, week)][person.pgy] += 1
    for rotation in problem.rotations:
        for rule in rotation.staffing:
            for week in range(problem.weeks):
                by_pgy = counts.get((rotation.code, week), {})
                staffed = sum(by_pgy.get(level, 0) for level in rule.pgy)
                levels = "/".join(str(level) for level in rule.pgy)
                if staffed < rule.min:
                    found.append(
                        Violation(
                            "staffing",
                            f"{rotation.code} has {staffed} PGY-{levels} "
                            f"in week {week + 1}; it needs at least {rule.min}.",
                            None,
                            rotation.code,
                            (week,),
                        )
                    )
                elif rule.max is not None and staffed > rule.max:
                    found.append(
                        Violation(
                            "staffing",
                            f"{rotation.code} has {staffed} PGY-{levels} "
                            f"in week {week + 1}; at most {rule.max} allowed.",
                            None,
                            rotation.code,
                            (week,),
                        )
                    )
    return found


def schedule_breaks(problem: Problem, assignments: dict[str, list[str | None]]) -> list[Violation]:
    """`schedule_violations` plus pinned cells not kept: what the solver must never return."""
    found = schedule_violations(problem, assignments)
    names = problem.resident_names
    for (rid, week), code in sorted(problem.fixed.items()):
        row = assignments.get(rid)
        if row is not None and week < len(row) and row[week] not in (code, None):
            message = f"{names.get(rid, rid)} is pinned to {code} in week {week + 1}."
            found.append(Violation("pin", message, rid))
    return found
