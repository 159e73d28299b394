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
  the objective, when both workers look for schedules.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduling.solver.model import ScheduleModel, build_model
from scheduling.solver.problem import Problem, SolveOptions

#: CP-SAT subsolvers for the full model on 2 workers
SUBSOLVERS = ("default_lp", "max_lp")


class Callback(cp_model.CpSolverSolutionCallback):
    """Reports each schedule (sparingly, see ``solve._Reporter``) and stops on request, or
    once a schedule reaches ``known_bound`` (a lower bound proven before the search: that
    schedule is optimal, though CP-SAT would go on to prove it itself)."""

    def __init__(self, report, should_stop, known_bound: float | None = None):
        super().__init__()
        self.report, self.should_stop, self.stopped = report, should_stop, False
        self.known_bound = known_bound

    def on_solution_callback(self) -> None:
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
):
    """Solve the full model from the schedule ``grid`` (a complete hint) for ``seconds``
    (deterministic time when ``options.deterministic``). ``valid``: ``grid`` meets every
    hard rule, so what is left is improving and proving: twins are then ordered.
    ``known_bound``: a lower bound proven before (the wish groups'); the search ends at a
    schedule that reaches it.

    ``groups`` are ``relax.GroupBound``s: when one has a positive bound, both workers
    search for schedules (``configure``).
    Returns ``(status code, objective, bound, assignments, stopped)``; the assignments are
    None when no schedule was found.
    """
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
    callback = Callback(report, should_stop, known_bound)
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.1):
            if should_stop():
                callback.stopped = True
                solver.stop_search()
                return

    poller = threading.Thread(target=poll, daemon=True) if should_stop is not None else None
    if poller is not None:
        poller.start()
    try:
        code = solver.solve(sm.model, callback)
    finally:
        done.set()
        if poller is not None:
            poller.join()
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        rows = sm.assignments(solver.boolean_value)
        return code, solver.objective_value, solver.best_objective_bound, rows, callback.stopped
    return code, None, None, None, callback.stopped
