"""Symmetry between interchangeable residents in the full model, and the trades of weeks.

The full model orders twins (same PGY, track, cohort, leave, vacation and wishes) once the
hint is a schedule that meets every rule; the hint's twin rows must then be permuted into
that order, or CP-SAT would throw the hint away (and with it the first schedule).
"""

from dataclasses import replace

from ortools.sat.python import cp_model

from programs.bundle.generator import generate_bundle
from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from scheduling.solver.full import break_symmetry, order_twins, twins
from scheduling.solver.model import build_model
from tests.support.schedule_checker import check_schedule


def _twin_program():
    """A small program whose residents have no requests and fixed cohorts, two by two:
    many interchangeable residents."""
    bundle = generate_bundle(residents=16, weeks=20, seed=3)
    for i, person in enumerate(bundle["residents"]):
        person["requests"], person["cohort"] = [], (i // 2) % 5
    return bundle, problem_from_bundle(bundle).with_cohorts()


def _hint_is_a_solution(problem, grid) -> bool:
    sm = build_model(problem)
    assert break_symmetry(sm) > 0
    sm.hint(grid)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    return solver.solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_an_ordered_hint_stays_a_schedule_of_the_symmetry_broken_model():
    _, problem = _twin_program()
    assert twins(problem)
    result = solve(problem, SolveOptions(time_limit_s=30, symmetry=False))
    grid = [result.assignments[r.id] for r in problem.residents]
    sm = build_model(problem)
    ordered = order_twins(sm, grid)
    # the same schedule up to renaming twins: same rows, only their owners change
    assert sorted(map(tuple, ordered)) == sorted(map(tuple, grid))
    assert _hint_is_a_solution(problem, ordered)
    # ... and each permutation of twin rows is one the model without ordering accepts:
    # reversing the twins' rows breaks the order, so an unordered hint is refused
    reversed_grid = [list(row) for row in ordered]
    for members in twins(problem):
        rows = [ordered[r] for r in members]
        if len(set(map(tuple, rows))) > 1:
            for r, row in zip(members, reversed(rows), strict=True):
                reversed_grid[r] = list(row)
    assert reversed_grid != ordered
    assert not _hint_is_a_solution(problem, reversed_grid)
    assert _hint_is_a_solution(problem, order_twins(sm, reversed_grid))


def test_symmetry_breaking_keeps_the_optimum_and_every_rule():
    bundle, problem = _twin_program()
    runs = [
        solve(problem, SolveOptions(time_limit_s=120, symmetry=flag, method="cpsat"))
        for flag in (True, False)
    ]
    assert runs[0].status == runs[1].status == "OPTIMAL"
    assert runs[0].objective == runs[1].objective
    assert check_schedule(bundle, schedule_export(bundle, None, runs[0])) == []


def test_a_deterministic_run_gives_the_same_schedule_on_contested_wishes():
    bundle = generate_bundle(residents=20, weeks=20, seed=5, contested=True)
    problem = problem_from_bundle(bundle)
    options = SolveOptions(time_limit_s=4, deterministic=True, seed=4)
    first, second = solve(problem, options), solve(replace(problem), options)
    assert first.assignments == second.assignments
    assert first.objective == second.objective
