"""The wish groups' bounds (``relax``) skip what a schedule already settles."""

import importlib

from programs.bundle.generator import generate_bundle
from scheduling.solver import SolveOptions, problem_from_bundle, solve
from scheduling.solver.problem import ObjectiveWeights
from scheduling.solver.relax import wish_bounds, wished_codes
from scheduling.solver.report import unmet_wishes

WISHES = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0)


def test_a_rotation_whose_wishes_a_valid_schedule_meets_is_not_solved_for():
    """A schedule meeting every rule, on one rotation, solves that rotation's relaxation:
    where it meets every wish about the rotation, the bound is 0 without solving (on a
    20-resident program with 19 rotations, 1.5 s of a 7 s build). The rotations it leaves
    unmet are still solved, to the same bounds."""
    bundle = generate_bundle(residents=24, weeks=26, seed=2, contested=True)
    problem = problem_from_bundle(bundle).with_cohorts()
    options = SolveOptions(time_limit_s=5, deterministic=True, weights=WISHES)
    result = solve(problem, options)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    grid = [list(result.assignments[res.id]) for res in problem.residents]
    unmet = {
        code
        for res, row in zip(problem.residents, grid, strict=True)
        for _, code, _, _ in unmet_wishes(problem, res, row, WISHES.prefer_weeks)
    }
    every = wish_bounds(problem, WISHES, seconds=5, deterministic=True)
    assert {g.code for g in every} - unmet, "the schedule meets the wishes of some rotation"

    some = wish_bounds(problem, WISHES, seconds=5, deterministic=True, grid=grid)

    assert [g.code for g in some] == [g.code for g in every if g.code in unmet]
    assert wished_codes(problem, WISHES, grid) == [g.code for g in some]
    assert all(g.bound == 0 for g in every if g.code not in unmet)
    bound = {g.code: g.bound for g in every}  # each solved group has at least as much time
    assert all(g.bound >= bound[g.code] for g in some)
    assert result.objective >= sum(g.bound for g in some) >= sum(bound.values()) > 0


def test_trades_go_to_every_wished_rotation_when_the_wish_groups_prove_nothing(monkeypatch):
    """When the wish groups prove no cost (or had no time to, on a loaded machine), the
    trades of contested weeks still go somewhere: to every rotation somebody wishes about."""
    solve_module = importlib.import_module("scheduling.solver.solve")  # the package's
    # ``solve`` is the function
    bundle = generate_bundle(residents=24, weeks=26, seed=2, contested=True)
    problem = problem_from_bundle(bundle)
    traded = []
    real = solve_module.exchange
    monkeypatch.setattr(solve_module, "_bounds", lambda *args, **kwargs: [])
    monkeypatch.setattr(
        solve_module,
        "exchange",
        lambda search, codes, *a, **k: traded.append(list(codes)) or real(search, codes, *a, **k),
    )
    options = SolveOptions(time_limit_s=5, deterministic=True, weights=WISHES)
    result = solve(problem, options)
    assert result.objective and result.objective > 0  # the wishes clash: trades are tried
    assert traded == [wished_codes(problem, WISHES)] and traded[0]
