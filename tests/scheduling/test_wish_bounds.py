"""The wish groups' bounds (``relax``) skip what a schedule already settles."""

import importlib
from dataclasses import replace

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


def test_deviant_moves_take_those_who_stray_from_a_wish_groups_placement():
    """``Search.deviants``: the whole years of residents whose wishes about a clashing
    rotation cost more than in its wish group's own solution, with residents who hold more
    of that rotation (or fare better) than there: one gives up the scarce weeks, another
    takes them."""
    from scheduling.solver.alone import examine
    from scheduling.solver.lns import DEVIANTS, Search

    problem = problem_from_bundle(
        generate_bundle(residents=24, weeks=26, seed=2, contested=True)
    ).with_cohorts()
    options = SolveOptions(time_limit_s=2, deterministic=True, weights=WISHES, method="lns")
    result = solve(problem, options)
    grid = [list(result.assignments[res.id]) for res in problem.residents]
    search = Search(problem, options, grid, local=examine(problem, grid, options).costs)
    group = next(g for g in wish_bounds(problem, WISHES, seconds=5, deterministic=True) if g.bound)
    search.groups = [group]
    people = range(len(problem.residents))
    own = [  # each resident's cost in the group's own placement
        search._wish_cost(
            r, group.code, [group.code if (r, t) in group.cells else None for t in range(26)]
        )
        for r in people
    ]
    now = [search._wish_cost(r, group.code, grid[r]) for r in people]
    held = [sum(1 for rr, _ in group.cells if rr == r) for r in people]
    worse = {r for r in people if now[r] > own[r]}
    better = {r for r in people if now[r] < own[r] or grid[r].count(group.code) > held[r]}
    assert worse and better, "the schedule strays from the group's placement"

    picks = [search.deviants() for _ in range(20)]

    for chosen, window in picks:
        assert window is None and len(chosen) == min(DEVIANTS, len(worse | better))
        assert set(chosen) <= worse | better
        assert len(set(chosen) & worse) == min(DEVIANTS // 2, len(worse))
    assert search.last_kind == "deviants"
    # once the placement is the schedule's own, nobody strays: no such move
    on_code = {(r, w) for r in people for w in range(problem.weeks) if grid[r][w] == group.code}
    search.groups = [replace(group, cells=on_code)]
    assert search.deviants() == ([], None)
    # ... nor once the rows take the group's placement (the rows' costs are read anew)
    search.groups = [group]
    placed = {  # each row on the rotation exactly where the group's solution puts it
        r: [
            group.code if (r, w) in group.cells else (None if k == group.code else k)
            for w, k in enumerate(grid[r])
        ]
        for r in people
    }
    search.replace_rows({r: (row, search.local[r]) for r, row in placed.items()})
    assert search.deviants() == ([], None)
