"""Explain an infeasible program: find a small set of rule groups that cannot all hold.

The model is rebuilt in *guarded* mode, where each hard rule group (a staffing minimum, a
requirement for one resident, a track band for one resident, a run rule...) is switched on
by one assumption literal. CP-SAT, run with one worker as assumptions require, returns a
sufficient set of assumptions for infeasibility; a deletion pass then drops every group
whose removal keeps the program infeasible, as long as time allows, so the answer is
minimal when the pass completes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduling.solver.model import Context, RuleGroup, ScheduleModel, build_model
from scheduling.solver.problem import Problem

STRUCTURE = RuleGroup(
    "structure",
    "the X+Y template: some resident-week has no rotation that its phase allows, even with "
    "every staffing, requirement, run, band, vacation and pin rule switched off",
)
HEADER = "These rules cannot all hold at once (with the residents' X+Y cohorts):"


def _solve(model: cp_model.CpModel, literals, seconds: float) -> tuple[int, cp_model.CpSolver]:
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # assumptions-based cores need a single worker
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    return solver.solve(model), solver


def conflicting_rules(
    problem: Problem,
    *,
    time_limit_s: float = 20.0,
    context: Context | None = None,
    extra: Callable[[ScheduleModel], None] | None = None,
) -> list[RuleGroup] | None:
    """Return a small set of rule groups that cannot all hold.

    ``[]`` means the program is feasible; None means no conflict was isolated within the
    time limit. A program infeasible with every rule group off gets the ``STRUCTURE`` group.
    ``extra(sm)`` may add rule groups of its own (e.g. a wish to grant) before the search.
    """
    deadline = time.perf_counter() + time_limit_s
    sm = build_model(problem.with_cohorts(), guarded=True, context=context)
    if extra is not None:
        extra(sm)
    by_index = {g.literal.index: g for g in sm.groups.values()}
    status, solver = _solve(sm.model, [g.literal for g in sm.groups.values()], time_limit_s)
    if status != cp_model.INFEASIBLE:
        return [] if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    candidates = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    if not candidates:
        return [STRUCTURE]
    # Deletion pass: a group is kept only if the others are satisfiable without it.
    necessary: list[RuleGroup] = []
    while candidates:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            break
        group = candidates.pop(0)
        trial = necessary + candidates
        status, solver = _solve(sm.model, [g.literal for g in trial], min(left, 5.0))
        if status == cp_model.INFEASIBLE:
            kept = set(solver.sufficient_assumptions_for_infeasibility())
            candidates = [g for g in candidates if g.literal.index in kept]
        else:
            necessary.append(group)
    return necessary + candidates


def describe(groups: list[RuleGroup], *, per_rule: int = 4) -> list[str]:
    """Word each group; per-resident groups of one rule collapse into a single line."""
    families: dict[str, list[str]] = defaultdict(list)
    for group in sorted(groups, key=lambda g: g.key):
        rule, _, who = group.text.partition(" for ")
        families[rule].append(who)
    lines = []
    for rule, people in families.items():
        people = [p for p in people if p]
        if not people:
            lines.append(rule[0].upper() + rule[1:])
        elif len(people) <= per_rule:
            lines.extend(f"{rule[0].upper()}{rule[1:]} for {p}" for p in people)
        else:
            ids = ", ".join(p.split(" ")[0] for p in people)
            lines.append(f"{rule[0].upper()}{rule[1:]} for {len(people)} residents ({ids})")
    return lines


def explain(
    problem: Problem,
    *,
    time_limit_s: float = 20.0,
    context: Context | None = None,
    extra: Callable[[ScheduleModel], None] | None = None,
) -> list[str]:
    """Return sentences naming rules that make ``problem`` infeasible (see module docs).

    ``context`` can switch staffing off, e.g. to explain why one resident alone cannot
    meet their own rules; ``extra`` adds rule groups (``conflicting_rules``).
    """
    core = conflicting_rules(problem, time_limit_s=time_limit_s, context=context, extra=extra)
    if core is None:
        return [
            f"The program looks infeasible, but the conflicting rules were not isolated "
            f"within {time_limit_s:g} s."
        ]
    if not core:
        return []
    return [HEADER, *describe(core)]
