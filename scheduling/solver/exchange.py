"""Settle wish clashes by exchanging one week between two residents, in plain Python.

When many residents want the same scarce rotation (or all want to be off nights over the
holidays), the best schedule gives the contested weeks to those whose wishes weigh most.
One move goes a long way there: resident ``a`` is on rotation ``k`` in week ``w`` and ``b``
is on ``j``; they trade (``a`` takes ``j``, ``b`` takes ``k``). A trade is kept when both
rows still meet their residents' own rules, every staffing rule it touches still holds and
the objective (recomputed from the two rows, plus fairness) goes down. Cheap filters on the
wishes about ``k`` skip the trades that cannot help, so a pass over 400 residents takes a
second or two; large-neighbourhood search (``lns``) then does what single trades cannot.
"""

from __future__ import annotations

import time

from scheduling.solver.objective import resident_cost
from scheduling.solver.repair import _Staff


def _wish_delta(res, code: str, week: int, count: int, gain: bool, prefer_weeks: int) -> int:
    """Change of the resident's wish cost on ``code`` if they gain or lose ``week`` on it
    (``count``: their weeks on it now), per unit of the prefer/avoid weight multipliers."""
    delta = 0
    for k, weight in res.prefers:
        if k == code and (count < prefer_weeks if gain else count <= prefer_weeks):
            delta += -weight if gain else weight
    for k, weeks, weight in res.avoids:
        if k == code and week in weeks:
            delta += weight if gain else -weight
    return delta


def exchange(
    search, codes: list[str], domains, deadline: float, max_tries: int | None = None
) -> int:
    """Trade weeks on ``codes`` between residents of ``search`` (an ``lns.Search``) while
    that lowers the objective; returns how much it went down.

    Only trades whose wishes (about ``code`` and about the rotation given in return) say
    they help are tried, best first. ``max_tries`` bounds the trades checked instead of
    the clock (``deadline`` may then be infinite): the same seed, the same schedule,
    whatever the machine's load.
    """
    from scheduling.hard_rules import resident_violations  # hard_rules imports the solver

    p, grid, wt = search.problem, search.grid, search.options.weights
    people = p.residents
    staff = _Staff(p, grid)
    phases = [p.phases_of(res) for res in people]
    start = search.objective()

    def delta(r: int, code: str, w: int, gain: bool) -> int:
        count = grid[r].count(code)
        return _wish_delta(people[r], code, w, count, gain, wt.prefer_weeks)

    tries = 0

    def over() -> bool:
        if max_tries is not None and tries >= max_tries:
            return True
        return time.perf_counter() > deadline

    improved = True
    while improved and not over():
        improved = False
        for code in codes:
            for w in range(p.weeks):
                if over():
                    return start - search.objective()
                for a in [r for r in range(len(people)) if grid[r][w] == code]:
                    lose = delta(a, code, w, False)
                    ranked = []
                    for b in range(len(people)):
                        j = grid[b][w]
                        if j is None or j == code or code not in domains[b][w]:
                            continue
                        if j not in domains[a][w]:
                            continue
                        change = lose + delta(b, code, w, True)
                        change += delta(b, j, w, False) + delta(a, j, w, True)
                        if change < 0:
                            ranked.append((change, b, j))
                    for _, b, j in sorted(ranked):
                        tries += 1
                        if _trade(search, staff, phases, a, b, w, code, j, resident_violations):
                            improved = True
                            break
    return start - search.objective()


def _trade(search, staff: _Staff, phases, a: int, b: int, w: int, code: str, j: str, check):
    """Let ``a`` take ``j`` and ``b`` take ``code`` in week ``w`` if that is valid and better."""
    p, grid, opts = search.problem, search.grid, search.options
    pa, pb = p.residents[a].pgy, p.residents[b].pgy
    changes = {pa: [(code, w, -1), (j, w, +1)], pb: [(j, w, -1), (code, w, +1)]}
    if pa == pb:
        if not staff.allows(pa, changes[pa] + changes[pb]):
            return False
    elif not (staff.allows(pa, changes[pa]) and staff.allows(pb, changes[pb])):
        return False
    row_a, row_b = list(grid[a]), list(grid[b])
    row_a[w], row_b[w] = j, code
    cost_a = resident_cost(p, a, row_a, phases[a], opts.weights, opts.change_penalty)
    cost_b = resident_cost(p, b, row_b, phases[b], opts.weights, opts.change_penalty)
    before = search.objective()
    if cost_a + cost_b >= search.local[a] + search.local[b] and not opts.weights.fairness:
        return False
    if check(p, p.residents[a], row_a) or check(p, p.residents[b], row_b):
        return False
    old = [(grid[a], search.local[a]), (grid[b], search.local[b])]
    search.replace_rows({a: (row_a, cost_a), b: (row_b, cost_b)})
    if search.objective() < before:
        staff.apply(pa, changes[pa])
        staff.apply(pb, changes[pb])
        return True
    search.replace_rows({a: old[0], b: old[1]})
    return False
