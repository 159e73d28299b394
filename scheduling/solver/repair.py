"""Fast repair of what the greedy start leaves broken, in plain Python.

The greedy start (``warmstart``) may leave a few weeks under a staffing minimum (or over a
maximum). Each gap usually closes with one small move: put one more resident of the right
PGY level on the rotation that week, taking them from a rotation that has residents to
spare, or move one of their weeks on the rotation from a week that has too many. A move is
kept only when the resident's row still meets all of their own rules
(``hard_rules.resident_violations``) and no staffing rule it touches breaks, so the total
staffing shortfall only goes down. Milliseconds per gap; the large-neighbourhood search
(``lns``) repairs whatever is left. Rows that break their resident's own rules are mended
before, by one-resident CP-SAT moves (``lns_loop.mend_rows``): every move here keeps each
row valid.
"""

from __future__ import annotations

import time
from collections import Counter

from scheduling.solver.problem import Problem


class _Staff:
    """Residents per (rotation, staffing rule, week), and the rules each resident counts for."""

    def __init__(self, problem: Problem, grid):
        self.p = problem
        self.rules = {
            (res.pgy, rot.code): [i for i, s in enumerate(rot.staffing) if res.pgy in s.pgy]
            for res in problem.residents
            for rot in problem.rotations
        }
        self.count: Counter = Counter()
        for r, res in enumerate(problem.residents):
            for w, k in enumerate(grid[r]):
                if k is not None:
                    for i in self.rules[(res.pgy, k)]:
                        self.count[(k, i, w)] += 1

    def spec(self, k: str, i: int):
        return self.p.rotation_map[k].staffing[i]

    def gaps(self) -> list[tuple[str, int, int, int]]:
        """(rotation, rule, week, +1 for a missing resident / -1 for an extra one)."""
        out = []
        for rot in self.p.rotations:
            for i, s in enumerate(rot.staffing):
                for w in range(self.p.weeks):
                    n = self.count[(rot.code, i, w)]
                    if n < s.min:
                        out.append((rot.code, i, w, +1))
                    elif s.max is not None and n > s.max:
                        out.append((rot.code, i, w, -1))
        return out

    def open(self, k: str, i: int, w: int, sign: int) -> bool:
        """Whether the gap ``(k, i, w, sign)`` of ``gaps()`` is still there."""
        s, n = self.spec(k, i), self.count[(k, i, w)]
        return n < s.min if sign > 0 else s.max is not None and n > s.max

    def allows(self, pgy: int, changes: list[tuple[str, int, int]]) -> bool:
        """Whether the ``(rotation, week, +1/-1)`` changes keep every touched rule's count
        within its minimum and maximum (or no further outside it)."""
        delta: Counter = Counter()
        for k, w, d in changes:
            for i in self.rules[(pgy, k)]:
                delta[(k, i, w)] += d
        for (k, i, w), d in delta.items():
            s, n = self.spec(k, i), self.count[(k, i, w)]
            if d < 0 and n + d < s.min:
                return False
            if d > 0 and s.max is not None and n + d > s.max:
                return False
        return True

    def apply(self, pgy: int, changes: list[tuple[str, int, int]]) -> None:
        for k, w, d in changes:
            for i in self.rules[(pgy, k)]:
                self.count[(k, i, w)] += d


def repair_staffing(problem: Problem, grid, domains, seconds: float = 2.0) -> int:
    """Close staffing gaps in ``grid`` (changed in place) by single-resident moves.

    Returns the number of gaps left. ``domains[r][w]`` are the resident-week's allowed
    rotations (``model.week_domain``).
    """
    from scheduling.hard_rules import resident_violations  # hard_rules imports the solver

    deadline = time.perf_counter() + seconds
    staff = _Staff(problem, grid)
    people = problem.residents

    def valid(r: int, row) -> bool:
        return not resident_violations(problem, people[r], row)

    progress = True
    while progress and time.perf_counter() < deadline:
        progress = False
        for k, i, w, sign in staff.gaps():
            spec = staff.spec(k, i)
            for r in range(len(people)):  # a gap of several residents closes in one pass
                if not staff.open(k, i, w, sign) or time.perf_counter() > deadline:
                    break
                if people[r].pgy in spec.pgy and _move(
                    problem, grid, domains, staff, r, k, w, sign, valid
                ):
                    progress = True
    return len(staff.gaps())


def _move(problem, grid, domains, staff: _Staff, r, k, w, sign, valid) -> bool:
    """Try the moves that give rotation ``k`` one more (``sign`` +1) or one fewer resident
    in week ``w`` using resident ``r``; apply the first one that keeps every rule."""
    row, pgy = grid[r], problem.residents[r].pgy
    here = row[w]
    if here is None or len(domains[r][w]) < 2 or (here == k) != (sign < 0):
        return False
    if sign > 0:
        singles = [k] if k in domains[r][w] else []
    else:
        singles = [j for j in domains[r][w] if j != k]
    longest = max([rot.min_run_weeks or 1 for rot in problem.rotations] + [1])
    for span in range(1, longest + 1):  # a block of cells around w changes (runs move)
        for first in range(w - span + 1, w + 1) if span > 1 else [w]:
            block = range(max(0, first), min(problem.weeks, first + span))
            for new in singles:
                if any(row[t] is None or new not in domains[r][t] for t in block):
                    continue
                cells = {t: new for t in block if row[t] != new}
                changes = [(row[t], t, -1) for t in cells] + [(new, t, +1) for t in cells]
                if staff.allows(pgy, changes) and _try(grid, r, cells, valid):
                    staff.apply(pgy, changes)
                    return True
    for t in range(problem.weeks):  # swap two of the resident's weeks
        other = row[t]
        if t == w or other is None or other == here or len(domains[r][t]) < 2:
            continue
        if (sign > 0 and other != k) or here not in domains[r][t] or other not in domains[r][w]:
            continue
        changes = [(here, w, -1), (other, w, +1), (other, t, -1), (here, t, +1)]
        if staff.allows(pgy, changes) and _try(grid, r, {w: other, t: here}, valid):
            staff.apply(pgy, changes)
            return True
    return False


def _try(grid, r: int, cells: dict[int, str], valid) -> bool:
    """Apply ``cells`` to resident ``r``'s row if the row stays valid; else leave it."""
    row = list(grid[r])
    for w, code in cells.items():
        row[w] = code
    if valid(r, row):
        grid[r] = row
        return True
    return False
