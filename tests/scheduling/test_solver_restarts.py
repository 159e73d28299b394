"""The full model restarts a stalled search from its best schedule with the next seed
(``full.solve_full``): only once its hint meets every rule, never in a deterministic run."""

import itertools

import pytest

from programs.bundle.generator import generate_bundle
from scheduling.hard_rules import schedule_breaks
from scheduling.solver import SolveOptions, problem_from_bundle, solve
from scheduling.solver import full as full_module
from scheduling.solver.objective import schedule_cost


@pytest.fixture(scope="module")
def start():
    """A contested 40-resident year (CP-SAT cannot prove it within a poll of 0.1 s) and a
    schedule meeting every rule, far from the best (a 1 s LNS)."""
    bundle = generate_bundle(residents=40, weeks=52, seed=5, contested=True)
    problem = problem_from_bundle(bundle).with_cohorts()
    options = SolveOptions(time_limit_s=1, method="lns", deterministic=True)
    first = solve(problem, options)
    assert first.assignments and not schedule_breaks(problem, first.assignments)
    return problem, [first.assignments[res.id] for res in problem.residents]


@pytest.fixture
def searches(monkeypatch):
    """Every CP-SAT search ``solve_full`` starts: (seed, hint rows by id, its best rows),
    with a stall of any poll (0.1 s) without a better schedule counting as stalled."""
    monkeypatch.setattr(full_module, "RESTART_MIN_S", 0.0)
    monkeypatch.setattr(full_module, "RESTART_STALL", 0.0)
    calls = []
    real = full_module._search

    def spy(problem, options, grid, *args):
        code, rows, solver, callback = real(problem, options, grid, *args)
        hint = {res.id: list(row) for res, row in zip(problem.residents, grid, strict=True)}
        calls.append((options.seed, hint, rows))
        return code, rows, solver, callback

    monkeypatch.setattr(full_module, "_search", spy)
    return calls


def _solve(problem, grid, options, valid=True, seconds=6.0):
    return full_module.solve_full(
        problem, options, grid, seconds, lambda _: None, None, [], valid=valid
    )


def test_a_stalled_search_restarts_from_its_best_schedule_with_the_next_seed(start, searches):
    problem, grid = start
    options = SolveOptions(seed=7, symmetry=False)  # twins reordered would rename rows
    run = _solve(problem, grid, options)
    assert run.restarts >= 1 and len(searches) == run.restarts + 1
    assert [seed for seed, _, _ in searches] == [7 + i for i in range(len(searches))]
    for (_, _, best), (_, hint, _) in itertools.pairwise(searches):
        assert hint == best  # each search starts where the one before it ended
    hinted = schedule_cost(problem, grid, options.weights, options.change_penalty)
    found = [rows for _, _, rows in searches if rows is not None]  # the last may find none
    assert run.objective <= hinted and run.rows == found[-1]
    assert not schedule_breaks(problem, run.rows)


def test_a_search_from_a_hint_that_breaks_rules_is_not_restarted(start, searches):
    problem, grid = start
    run = _solve(problem, grid, SolveOptions(), valid=False)
    assert run.restarts == 0 and len(searches) == 1


def test_a_deterministic_run_is_never_restarted(start, searches):
    """A stall is measured on the wall clock; a deterministic run must not depend on it."""
    problem, grid = start
    run = _solve(problem, grid, SolveOptions(deterministic=True))
    assert run.restarts == 0 and len(searches) == 1


def test_a_search_restarts_after_twice_and_a_half_its_start_up_and_at_least_four_s():
    assert full_module.restart_after(0.5) == 4.0
    assert full_module.restart_after(2.0) == 5.0
