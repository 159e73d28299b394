"""Cohorts as a decision: when the bundle leaves a resident's cohort open, choose it.

The spec lets the scheduler choose missing cohorts, "spreading each track and PGY level
evenly over the cohorts" (``xy.assign_cohorts`` does that in id order). Which resident of
a class goes to which cohort does not change the weekly staffing arithmetic, but it decides
whose weeks are ambulatory: a resident who dreads nights over the holidays is spared them
for free if the holidays fall in their Y weeks. ``choose_cohorts`` keeps the even spread
(the same number of each class in each cohort as ``assign_cohorts``) and, within it, gives
each resident the cohort that exposes the least weight of their avoid wishes (weeks in
which the avoided rotation's phase is possible). A small assignment model, well under a
second for 400 residents.

What the builder then proves, it proves for these cohorts (``SolveResult.bound_scope``).
Measured on the contested benchmark programs (docs/benchmarks.md) this arrangement did not
lower the wish-group bound (256 -> 259 at 100 residents, 3+2: the residents without the
ICU wish ended up in the same cohorts), so it is an option (``SolveOptions.choose_cohorts``),
off by default.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver.problem import Problem
from scheduling.xy import phases, rotation_fits_phase


def exposure(problem: Problem, res, cohort: int) -> int:
    """Weight x weeks of the resident's avoid wishes their phases leave possible."""
    marks = phases(
        problem.weeks,
        cohort,
        x_weeks=problem.x_weeks,
        y_weeks=problem.y_weeks,
        cohorts=problem.cohorts,
    )
    total = 0
    for code, weeks, weight in res.avoids:
        rot = problem.rotation_map.get(code)
        if rot is None:
            continue
        for w in weeks:
            if w < problem.weeks and w not in res.leave_weeks:
                total += weight * rotation_fits_phase(rot.phase, in_y=marks[w] == "y")
    return total


def choose_cohorts(problem: Problem, seconds: float = 2.0) -> tuple[Problem, bool]:
    """Return the problem with every cohort set, and whether the builder chose any.

    Fixed cohorts are kept; open ones are spread like ``assign_cohorts`` (same count of
    each (track, PGY) class per cohort) with the least wish exposure. Falls back to
    ``assign_cohorts`` when nothing is gained or no assignment is found in time.
    """
    default = problem.with_cohorts()
    open_ = [r for r, res in enumerate(problem.residents) if res.cohort is None]
    if not open_:
        return default, False
    if not any(problem.residents[r].avoids for r in open_):
        return default, True
    target: Counter = Counter()
    for r in open_:
        res = default.residents[r]
        target[(res.track, res.pgy, res.cohort)] += 1
    m = cp_model.CpModel()
    pick = {(r, c): m.new_bool_var(f"c{r}_{c}") for r in open_ for c in range(problem.cohorts)}
    for r in open_:
        m.add_exactly_one(pick[(r, c)] for c in range(problem.cohorts))
    for (track, pgy, c), n in target.items():
        members = [
            r
            for r in open_
            if (problem.residents[r].track, problem.residents[r].pgy) == (track, pgy)
        ]
        m.add(sum(pick[(r, c)] for r in members) == n)
    cost = {key: exposure(problem, problem.residents[key[0]], key[1]) for key in pick}
    m.minimize(sum(cost[key] * var for key, var in pick.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return default, True
    before = sum(cost[(r, default.residents[r].cohort)] for r in open_)
    if solver.objective_value >= before:
        return default, True
    chosen = {r: c for (r, c), var in pick.items() if solver.boolean_value(var)}
    people = tuple(
        replace(res, cohort=chosen.get(r, default.residents[r].cohort))
        for r, res in enumerate(problem.residents)
    )
    return replace(problem, residents=people), True
