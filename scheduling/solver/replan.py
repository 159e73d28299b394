"""A lower bound for a minimal-change re-plan, from the published schedule itself.

A re-plan (``SolveOptions.change_penalty`` with ``Problem.hints`` = the published schedule)
minimises ``soft(S) + P * changes(S)``: the usual soft goals plus ``P`` per hinted cell that
``S`` changes. Neither the wish groups nor the residents-alone bound see the soft cost the
published schedule already carries (history's wishes, fairness, rotation changes), so they
leave the gap at 60-100% although the schedule is as good as it can be (issue 10/11 demo:
objective 60, bound 6).

The bound here walks from the hint grid ``H`` to any schedule ``S`` one cell at a time.
Changing one cell of a resident from ``a`` to ``b`` lowers the soft cost by at most
``g = prefer * w(b) + avoid * w(a, week) + continuity * 2 * max(1, M) + fairness * (kinds
of a + kinds of b)``: ``w(b)`` the resident's prefer weight for ``b``, ``w(a, week)`` their
avoid weight for ``a`` that week, ``M`` the longest ``max_consecutive_weeks`` (a cell can
only change whether the 2M pairs of weeks around it count as a change), one week of
load per fairness kind of ``a`` and ``b`` (a class's best band cost moves by at most one
when one load moves by one). So ``cost(S) >= soft(H) + sum over changed cells (P - g)``,
and with every cell's ``P - g`` clipped at 0 from above:

    bound = soft(H) - sum(max(0, g_max - P)) + the cells every schedule must change

where the cells every schedule must change are the hinted cells whose hint its domain no
longer allows (new vacation) and, per week, as many cells as the largest staffing shortfall
or excess of ``H`` (each costs at least the cheapest ``P - g`` among the cells that could
fix it). Exact whatever the program; tested against brute force in
``tests/scheduling/test_replan_bound.py``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from scheduling.solver.model import week_domain
from scheduling.solver.objective import fairness_kinds, schedule_cost
from scheduling.solver.problem import ObjectiveWeights, Problem


def replan_bound(problem: Problem, weights: ObjectiveWeights, penalty: int) -> int:
    """A lower bound of the re-plan objective (see the module), 0 when there is no hint."""
    if not penalty or not problem.hints:
        return 0
    wt, rots = weights, problem.rotation_map
    kinds_of: Counter = Counter()
    for codes in fairness_kinds(problem.rotations).values():
        kinds_of.update(codes)
    longest = max([rot.max_consecutive_weeks or 0 for rot in problem.rotations] + [1])
    continuity = wt.continuity * 2 * longest
    sizes = Counter((res.track, res.pgy) for res in problem.residents if not res.leave_weeks)
    grid, total, loose = [], 0.0, False
    extra_of_week: dict[int, list[float]] = defaultdict(list)  # forced cells' extras
    best_fix: dict[tuple[str, int, int, int], float] = {}  # (code, spec, week, sign) -> extra
    for res in problem.residents:
        phases = problem.phases_of(res)
        prefer = Counter()
        for code, weight in res.prefers:
            prefer[code] += weight
        fair = wt.fairness if sizes[(res.track, res.pgy)] > 1 and not res.leave_weeks else 0
        row: list[str | None] = []
        for w, phase in enumerate(phases):
            domain = week_domain(problem, res, w, phase)
            fixed = problem.fixed.get((res.id, w))
            hint = problem.hints.get((res.id, w)) if w not in res.leave_weeks else None
            row.append(fixed if fixed is not None else hint if domain else None)
            if not domain or fixed is not None or (len(domain) == 1 and domain[0] == hint):
                continue  # nothing can change here

            def gain(a, b, w=w, prefer=prefer, fair=fair, res=res) -> float:
                avoid = sum(x for k, weeks, x in res.avoids if k == a and w in weeks)
                return (
                    wt.prefer * prefer[b]
                    + wt.avoid * avoid
                    + continuity
                    + fair * (kinds_of[a] + kinds_of[b])
                )

            others = [b for b in domain if b != hint]
            top = max(gain(hint, b) for b in others)
            if hint is None:  # a cell that is free but not hinted: no penalty to lean on
                total -= top
                loose = True
                continue
            base = min(0.0, penalty - top)
            total += base
            if hint not in domain:  # every schedule changes this cell
                extra_of_week[w].append(penalty - top - base)
                continue
            for b in others:  # the cheapest cell that could fix a staffing shortfall of b
                for i, spec in enumerate(rots[b].staffing):
                    if res.pgy in spec.pgy:
                        key = (b, i, w, 1)
                        extra = penalty - gain(hint, b) - base
                        best_fix[key] = min(best_fix.get(key, math.inf), extra)
            for i, spec in enumerate(rots[hint].staffing):  # ... or an excess of the hint
                if res.pgy in spec.pgy:
                    key = (hint, i, w, -1)
                    best_fix[key] = min(best_fix.get(key, math.inf), penalty - top - base)
        grid.append(row)
    total += schedule_cost(problem, grid, wt, penalty)
    if loose:
        return max(0, math.ceil(total - 1e-9))
    staff = Counter()
    for res, row in zip(problem.residents, grid, strict=True):
        for w, k in enumerate(row):
            if k is not None:
                for i, spec in enumerate(rots[k].staffing):
                    if res.pgy in spec.pgy:
                        staff[(k, i, w)] += 1
    needed: dict[int, float] = defaultdict(float)  # week -> extra its staffing fixes cost
    for rot in problem.rotations:
        for i, spec in enumerate(rot.staffing):
            for w in range(problem.weeks):
                n = staff[(rot.code, i, w)]
                over = n - spec.max if spec.max is not None else 0
                for units, sign in ((spec.min - n, 1), (over, -1)):
                    if units > 0:
                        cost = units * best_fix.get((rot.code, i, w, sign), math.inf)
                        needed[w] = max(needed[w], cost)
    for w in set(needed) | set(extra_of_week):
        if math.isinf(needed[w]):  # H cannot be mended in that week: no schedule exists
            continue  # (the solver proves it; the bound stays valid without this week)
        total += max(needed[w], sum(extra_of_week.get(w, ())))
    return max(0, math.ceil(total - 1e-9))
