"""The re-plan bound (``scheduling.solver.replan``) never exceeds the true optimum.

A re-plan minimises the soft goals plus ``penalty`` per hinted cell it changes. Here tiny
programs (``test_solver_exact``) get a first week of history (fixed) and a hint for the
rest: a row per resident that meets their own rules, picked at random, so it may break
staffing (as leave does). Every schedule is enumerated, scored by the spec, and the bound
and the builder's result are checked against that optimum: a bound that claims more than
any schedule can reach, or a reported gap that lies, fails here.
"""

import functools
import itertools
import random
from dataclasses import replace

import pytest

from scheduling.solver import SolveOptions, problem_from_bundle, solve
from scheduling.solver.replan import replan_bound
from tests.scheduling.test_solver_exact import (
    WEEKS,
    WEIGHTS,
    _fair,
    _rows,
    tiny_program,
    week_day,
)

HISTORY = 1  # week 0 is history: fixed, so changes into it are not counted


def _own_cost(person, row, phases, wt) -> int:
    """Prefer, avoid and continuity terms of one row; a change into history does not count."""
    days = [week_day(w) for w in range(WEEKS)]
    cost = 0
    for q in person["requests"]:
        if q["kind"] == "prefer":
            room = sum(1 for ph in phases if ph == "x")
            short = min(wt.prefer_weeks, room) - row.count(q["rotation"])
            cost += wt.prefer * q["weight"] * max(0, short)
        else:
            hits = sum(1 for w in range(WEEKS) if days[w] in q["weeks"] and row[w] == q["rotation"])
            cost += wt.avoid * q["weight"] * hits
    changes = sum(
        1 for w in range(HISTORY, WEEKS - 1) if phases[w] == phases[w + 1] and row[w] != row[w + 1]
    )
    return cost + wt.continuity * changes


def _staffed(grid) -> bool:
    return all(
        sum(r[w] == "WARDS" for r in grid) <= 2 and sum(r[w] == "NF" for r in grid) == 1
        for w in range(WEEKS)
    )


@functools.cache
def replan_case(seed: int):
    """A tiny program, its hint rows (random, each meeting its resident's own rules) and
    the brute-force optimum of ``soft + penalty * changed hinted cells`` for a penalty."""
    rng = random.Random(seed)
    bundle = tiny_program(seed)
    people = bundle["residents"]
    rows = {p["id"]: list(_rows(p)) for p in people}
    feasible = [
        combo
        for combo in itertools.product(*(rows[p["id"]] for p in people))
        if _staffed([row for row, _ in combo])
    ]
    base = rng.choice(feasible)  # a schedule meeting every rule gives history its week
    hint = {}
    for p, (row, _) in zip(people, base, strict=True):
        same = [r for r, _ in rows[p["id"]] if r[:HISTORY] == row[:HISTORY]]
        hint[p["id"]] = row if rng.random() < 0.5 else rng.choice(same)
    penalty = rng.choice((2, 5, 20, 100))
    best = None
    choices = [
        [(row, ph) for row, ph in rows[p["id"]] if row[:HISTORY] == hint[p["id"]][:HISTORY]]
        for p in people
    ]
    for combo in itertools.product(*choices):
        grid = [row for row, _ in combo]
        if not _staffed(grid):
            continue
        cost = sum(
            _own_cost(p, row, ph, WEIGHTS) for p, (row, ph) in zip(people, combo, strict=True)
        )
        interns = [grid[i] for i, p in enumerate(people) if p["pgy"] == 1]
        for codes in (("NF",), ("ELEC",)):
            cost += WEIGHTS.fairness * _fair(
                [sum(k in codes for k in r) for r in interns], WEIGHTS.fairness_slack
            )
        cost += penalty * sum(
            row[w] != hint[p["id"]][w]
            for p, row in zip(people, grid, strict=True)
            for w in range(WEEKS)
        )
        best = cost if best is None else min(best, cost)
    problem = problem_from_bundle(bundle).with_cohorts()
    fixed = {(pid, w): row[w] for pid, row in hint.items() for w in range(HISTORY)}
    hints = {(pid, w): row[w] for pid, row in hint.items() for w in range(HISTORY, WEEKS)}
    return replace(problem, fixed=fixed, hints=hints), penalty, best, hint


@pytest.mark.parametrize("seed", range(24))
def test_the_replan_bound_never_exceeds_the_brute_force_optimum(seed):
    problem, penalty, optimum, _ = replan_case(seed)
    assert optimum is not None
    assert replan_bound(problem, WEIGHTS, penalty) <= optimum


@pytest.mark.parametrize("seed", range(0, 24, 3))
def test_a_replan_reaches_the_optimum_and_its_gap_is_honest(seed):
    problem, penalty, optimum, _ = replan_case(seed)
    options = SolveOptions(time_limit_s=10, weights=WEIGHTS, change_penalty=penalty, seed=seed)
    result = solve(problem, options)
    assert result.objective == optimum
    assert result.best_bound <= optimum
    assert result.status == "OPTIMAL"


def test_a_hint_that_needs_no_change_is_its_own_proof():
    """With a penalty above what any one cell can gain, keeping a schedule that meets every
    rule is best, and the bound says so without any search."""
    for seed in range(40):
        problem, penalty, optimum, hint = replan_case(seed)
        if penalty == 100 and replan_bound(problem, WEIGHTS, penalty) == optimum:
            break
    else:
        pytest.fail("no tiny case where the hint is already best")
    options = SolveOptions(time_limit_s=10, weights=WEIGHTS, change_penalty=penalty)
    result = solve(problem, options)
    assert result.status == "OPTIMAL" and result.bound_source == "re-plan"
    assert result.assignments == {pid: list(row) for pid, row in hint.items()}


def test_a_replan_of_any_size_goes_to_the_full_model(monkeypatch):
    """Beyond ``FULL_RESIDENTS`` the builder keeps the LNS to the end, except in a re-plan
    (``minimal_change``): there the full model proves what the LNS cannot (the change
    penalty makes its relaxation tight). Shown on a tiny program by lowering the size."""
    import importlib

    solve_module = importlib.import_module("scheduling.solver.solve")
    monkeypatch.setattr(solve_module, "FULL_RESIDENTS", 1)
    calls = []
    real = solve_module.solve_full
    monkeypatch.setattr(
        solve_module, "solve_full", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for seed in range(40):
        problem, penalty, optimum, _ = replan_case(seed)
        if replan_bound(problem, WEIGHTS, penalty) < optimum and penalty == 100:
            break
    else:
        pytest.fail("no tiny re-plan that the bound alone does not prove")
    options = SolveOptions(
        time_limit_s=10, weights=WEIGHTS, change_penalty=penalty, minimal_change=True
    )
    result = solve(problem, options)
    assert calls, "the re-plan did not reach the full model"
    assert result.status == "OPTIMAL" and result.objective == optimum
