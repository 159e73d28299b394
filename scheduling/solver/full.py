"""The full CP-SAT model of the year, tuned for 2 cores and started from a complete hint.

Measured on our benchmark (docs/benchmarks.md), the full model is the strongest engine up to
a few hundred residents once it gets what a plain model lacks:

- a complete hint: every cell and every auxiliary objective variable of a schedule that
  meets every rule (``ScheduleModel.hint``), so CP-SAT starts improving at once;
- the wish groups' bound (``relax``) as a stop: a schedule that reaches it is optimal, so
  the search ends there (``Callback``). The bounds are not added as constraints: measured
  on the contested 100-resident programs (4 templates, 4 seeds, 2 idle cores, 30 s), the
  model without them reached its bound in 10 runs of 16 (with them, 4) and its wish loss
  was 4177 in all against 4186; they only cut the LNS's moves;
- symmetry breaking between interchangeable residents (same PGY, track, cohort, requests
  and no pins or hints): their rows are ordered by a weighted count, which any schedule
  can be permuted to satisfy. Only once the hint is a schedule that meets every rule, i.e.
  while CP-SAT still has to prove the bound: the hint's twin rows are then permuted into
  that order (``order_twins``) so the hint stays valid. While a first schedule is still
  sought, the ordering would only cut the schedules near a broken hint;
- subsolvers chosen for 2 workers: the default LP search finds schedules, the ``max_lp``
  worker (full LP relaxation) works on the bound - unless the wish groups already bound
  the objective, when both workers look for schedules;
- restarts: once the hint meets every rule, a search that has found nothing better for a
  while (``restart_after``) is stopped and started again from its best schedule with the
  next random seed. Measured on two contested 100-resident 4+1 programs (2 idle cores,
  30 s, solver seeds 0-5): one long search reached the bound in 5 runs of 14 and stalled
  1-2 above it in the rest; with restarts it reached the bound in 7 runs of 8. A search
  restarted from its best schedule found the last units in 2-7 s where the long one had
  stalled for 10 s and more. On the other contested templates (3+2, 6+2, any-phase with
  4-week runs) restarts were rare and the results even (any-phase: 3 runs of 5 at the
  bound against 4 of 5, the rest 1 above).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduling.solver.model import ScheduleModel, build_model
from scheduling.solver.problem import Problem, SolveOptions

#: CP-SAT subsolvers for the full model on 2 workers
SUBSOLVERS = ("default_lp", "max_lp")
#: A search restarts when nothing better came for this many times its start-up (building
#: the model, presolve, accepting the hint: 0.6-2.4 s at 50-100 residents), and at least
#: ``RESTART_MIN_S`` seconds; only while at least that start-up's time is left. Measured
#: on the contested 100-resident programs: 2 x and 3 s also cut the any-phase template's
#: slow, steady descents (2 runs of 6 at the bound, against 5 of 6 without restarts);
#: 2.5 x and 4 s: 3 of 5 there, and 4+1 as good (5 of 6 at the bound either way).
RESTART_STALL = 2.5
RESTART_MIN_S = 4.0


@dataclass
class FullRun:
    """What one full-model solve (with its restarts) gave."""

    code: int  # CP-SAT's status of the last search
    objective: float | None = None
    bound: float | None = None  # the best bound any search proved
    rows: dict[str, list[str | None]] | None = None  # None: no schedule found
    stopped: bool = False  # ``should_stop`` answered True
    restarts: int = 0


class Callback(cp_model.CpSolverSolutionCallback):
    """Reports each schedule (sparingly, see ``solve._Reporter``) and stops on request, or
    once a schedule reaches ``known_bound`` (a lower bound proven before the search: that
    schedule is optimal, though CP-SAT would go on to prove it itself). Remembers when the
    search began (``begun``), its start-up and when it last improved, for restarts."""

    def __init__(self, report, should_stop, known_bound: float | None = None, begun=None):
        super().__init__()
        self.report, self.should_stop, self.stopped = report, should_stop, False
        self.known_bound = known_bound
        self.begun = time.perf_counter() if begun is None else begun
        self.startup: float | None = None  # seconds to the first schedule (the hint)
        self.best, self.improved = math.inf, self.begun  # best objective and when
        self.stalled = False  # stopped for a restart

    def stalled_for(self, now: float) -> bool:
        """Whether nothing better came for ``restart_after`` the start-up, by ``now``."""
        return self.startup is not None and now - self.improved > restart_after(self.startup)

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        if self.startup is None:
            self.startup = now - self.begun
        if self.objective_value < self.best:
            self.best, self.improved = self.objective_value, now
        self.report(self.objective_value)
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            self.stop_search()
        elif self.known_bound is not None and self.objective_value <= self.known_bound + 1e-9:
            self.stop_search()


def configure(
    solver: cp_model.CpSolver, options: SolveOptions, seconds: float, bounded: bool = False
) -> None:
    """Set CP-SAT parameters (by attribute, as OR-Tools 9.15 wants) for the full model.

    ``bounded``: the wish groups already bound the objective; then both workers search
    for schedules (CP-SAT's own choice for 2 workers) instead of one working on the LP
    bound, which measured better on the contested programs. A re-plan
    (``minimal_change``) counts as bounded too: its change penalty makes the default
    relaxation tight, and the re-plan row of the benchmark proved in 2.7 s instead of 4.6 s
    without the ``max_lp`` worker."""
    params = solver.parameters
    params.random_seed = options.seed
    params.num_workers = max(1, options.num_workers)
    params.log_search_progress = options.log_search
    if options.relative_gap_limit:
        params.relative_gap_limit = options.relative_gap_limit
    if options.num_workers == 2 and not bounded:
        params.subsolvers.extend(SUBSOLVERS)
    if options.deterministic:
        params.interleave_search = True
        params.max_deterministic_time = seconds
        params.max_time_in_seconds = 4 * seconds + 10
    else:
        params.max_time_in_seconds = seconds


def twins(problem: Problem) -> list[list[int]]:
    """Groups (two or more) of interchangeable residents: same PGY, track, cohort, leave,
    vacation and wishes, and no pinned or hinted cell. Swapping two of them turns any
    schedule into another one of the same cost."""
    marked = {rid for rid, _ in problem.fixed} | {rid for rid, _ in problem.hints}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for r, res in enumerate(problem.residents):
        if res.id in marked:
            continue
        key = (res.pgy, res.track, res.cohort, res.leave_weeks, res.vacation_weeks)
        groups[(*key, tuple(sorted(res.prefers)), tuple(sorted(res.avoids)))].append(r)
    return [members for members in groups.values() if len(members) > 1]


def _twin_orders(sm: ScheduleModel) -> list[tuple[list[int], str]]:
    """Each group of twins with the rotation that orders it: the first one every member
    may take in several weeks (groups without one are left alone)."""
    p, out = sm.problem, []
    for members in twins(p):
        code = next(
            (
                rot.code
                for rot in p.rotations
                if sum(1 for dom in sm.domains[members[0]] if rot.code in dom) > 1
            ),
            None,
        )
        if code is not None:
            out.append((members, code))
    return out


def _key(weeks: int, row, code: str) -> int:
    """The weighted count the twins are ordered by: sum of (week + 1) over weeks on code."""
    return sum(w + 1 for w in range(weeks) if row[w] == code)


def break_symmetry(sm: ScheduleModel) -> int:
    """Order each group of twins by a weighted count of their weeks on the first rotation
    that every member may take in several weeks; returns the number of constraints."""
    p, added = sm.problem, 0
    for members, code in _twin_orders(sm):
        for a, b in itertools.pairwise(members):
            # one weighted sum in a fixed order: key(a) - key(b) <= 0 (an expression built
            # with + and <= lets OR-Tools order its terms by object identity, and a
            # deterministic run would then differ between two runs in one process)
            terms, coeffs = [], []
            for r, sign in ((a, 1), (b, -1)):
                for w in range(p.weeks):
                    if (v := sm.var(r, w, code)) is not None:
                        terms.append(v)
                        coeffs.append(sign * (w + 1))
            sm.model.add_linear_constraint(
                cp_model.LinearExpr.weighted_sum(terms, coeffs), -sum(abs(c) for c in coeffs), 0
            )
            added += 1
    return added


def order_twins(sm: ScheduleModel, grid) -> list[list[str | None]]:
    """``grid`` with each twin group's rows permuted so that ``break_symmetry``'s order
    holds: the same schedule up to renaming interchangeable residents, of the same cost."""
    out = [list(row) for row in grid]
    for members, code in _twin_orders(sm):
        rows = sorted((grid[r] for r in members), key=lambda row: _key(sm.problem.weeks, row, code))
        for r, row in zip(members, rows, strict=True):
            out[r] = list(row)
    return out


def solve_full(
    problem: Problem,
    options: SolveOptions,
    grid,
    seconds,
    report,
    should_stop,
    groups,
    valid: bool = False,
    known_bound: float | None = None,
) -> FullRun:
    """Solve the full model from the schedule ``grid`` (a complete hint) for ``seconds``
    (deterministic time when ``options.deterministic``). ``valid``: ``grid`` meets every
    hard rule, so what is left is improving and proving: twins are then ordered, and a
    search that stalls restarts from its best schedule with the next seed (not in a
    deterministic run: a stall is measured on the wall clock).
    ``known_bound``: a lower bound proven before (the wish groups'); the search ends at a
    schedule that reaches it.

    ``groups`` are ``relax.GroupBound``s: when one has a positive bound, both workers
    search for schedules (``configure``).
    """
    end = time.perf_counter() + seconds
    restart = valid and not options.deterministic
    out = FullRun(code=cp_model.UNKNOWN)
    while True:
        left = seconds if options.deterministic else end - time.perf_counter()
        seeded = replace(options, seed=options.seed + out.restarts)
        code, rows, solver, callback = _search(
            problem, seeded, grid, left, report, should_stop, groups, valid, known_bound, restart
        )
        out.stopped = callback.stopped
        if rows is not None or out.rows is None:  # a last short search may find nothing
            out.code = code
        if rows is not None:
            if out.objective is None or solver.objective_value <= out.objective:
                out.objective, out.rows = solver.objective_value, rows
            out.bound = max(out.bound or 0.0, solver.best_objective_bound)
        stalled = callback.stalled and out.rows is not None
        if not stalled or end - time.perf_counter() < (callback.startup or 0.0):
            return out
        grid = [out.rows[res.id] for res in problem.residents]
        out.restarts += 1


def restart_after(startup: float) -> float:
    """Seconds without a better schedule after which a search restarts, for a search that
    took ``startup`` seconds to its first schedule (``RESTART_STALL``)."""
    return max(RESTART_MIN_S, RESTART_STALL * startup)


def _search(problem, options, grid, seconds, report, should_stop, groups, valid, known, restart):
    """One CP-SAT search of the full model from ``grid``; with ``restart`` it stops once
    it has found nothing better for ``restart_after`` its start-up (``callback.stalled``).
    Returns ``(status code, assignments or None, solver, callback)``."""
    started = time.perf_counter()
    sm = build_model(problem, weights=options.weights, change_penalty=options.change_penalty)
    # Not in deterministic runs: measured, CP-SAT with these cuts gave a different schedule
    # in the second of two identical runs in one process (interleaved workers or not).
    if valid and options.symmetry and not options.deterministic:
        break_symmetry(sm)
        grid = order_twins(sm, grid)
    sm.hint(grid)
    solver = cp_model.CpSolver()
    if not options.deterministic:  # building the model counts against the wall time
        seconds -= time.perf_counter() - started
    bounded = any(g.bound > 0 for g in groups) or options.minimal_change
    configure(solver, options, max(0.2, seconds), bounded=bounded)
    callback = Callback(report, should_stop, known, begun=started)
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.1):
            if should_stop is not None and should_stop():
                callback.stopped = True
                solver.stop_search()
                return
            if restart and callback.stalled_for(time.perf_counter()):
                callback.stalled = True
                solver.stop_search()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        code = solver.solve(sm.model, callback)
    finally:
        done.set()
        poller.join()
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, sm.assignments(solver.boolean_value), solver, callback
    return code, None, solver, callback
