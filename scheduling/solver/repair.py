"""Fast repair of what the greedy start leaves broken, in plain Python.

The greedy start (``warmstart``) meets each resident's own rules but may leave a few weeks
under a staffing minimum (or over a maximum). Each gap usually closes with one small move:
put one more resident of the right PGY level on the rotation that week, taking them from a
rotation that has residents to spare, or move one of their weeks on the rotation from a
week that has too many. A move is kept only when the resident's row still meets all of their
own rules (``hard_rules.resident_violations``) and no staffing rule it touches breaks, so
the total staffing shortfall only goes down. A row that breaks its resident's own rules (a
requirement a week short, a band a week off) is mended the same way, one or two cells at a
time, as long as its distance to the rules shrinks. Milliseconds per gap; the
large-neighbourhood search (``lns``) repairs whatever is left.
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
            for r in range(len(people)):
                if people[r].pgy not in spec.pgy or time.perf_counter() > deadline:
                    continue
                if _move(problem, grid, domains, staff, r, k, w, sign, valid):
                    progress = True
                    break
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


def distance(problem: Problem, res, row) -> int:
    """How far a row is from meeting its resident's own rules: 100 per broken rule plus
    the weeks a requirement or the track band is off (0 for a valid row)."""
    from scheduling.hard_rules import resident_violations

    broken = resident_violations(problem, res, row)
    if not broken:
        return 0
    off = 0
    for q in problem.requirements:
        if q.applies_to(res):
            n = sum(1 for k in row if k in q.rotations)
            off += max(0, (q.min_weeks or 0) - n) + max(0, n - (q.max_weeks or n))
    track = problem.track_map.get(res.track)
    if track is not None:
        rots = problem.rotation_map
        amb = sum(1 for k in row if k and rots[k].is_ambulatory)
        inp = sum(1 for k in row if k and rots[k].is_inpatient)
        total = amb + inp
        off += max(0, round(track.ambulatory_min * total - amb + 0.49))
        off += max(0, round(amb - track.ambulatory_max * total + 0.49))
    return 100 * len(broken) + off


def repair_rows(problem: Problem, grid, domains, rows, seconds: float = 1.0) -> list[int]:
    """Mend the rows ``rows`` (residents whose own rules break) in ``grid``, in place, by
    single-cell changes and changes of two neighbouring cells that lower ``distance`` and
    keep every staffing rule they touch; return the residents still broken."""
    deadline = time.perf_counter() + seconds
    staff = _Staff(problem, grid)
    left = []
    for r in rows:
        res, dom = problem.residents[r], domains[r]
        now = distance(problem, res, grid[r])
        while now and time.perf_counter() < deadline:
            best = None
            for w in range(problem.weeks):
                for span in (1, 2):
                    if w + span > problem.weeks:
                        continue
                    for k in dom[w]:
                        cells = {t: k for t in range(w, w + span) if grid[r][t] != k}
                        if not cells or any(k not in dom[t] for t in cells):
                            continue
                        changes = [(grid[r][t], t, -1) for t in cells]
                        changes += [(k, t, +1) for t in cells]
                        if not staff.allows(res.pgy, changes):
                            continue
                        row = list(grid[r])
                        for t, code in cells.items():
                            row[t] = code
                        d = distance(problem, res, row)
                        if d < now and (best is None or d < best[0]):
                            best = (d, row, changes)
            if best is None:
                break
            now, grid[r], changes = best
            staff.apply(res.pgy, changes)
        if now:
            left.append(r)
    return left
