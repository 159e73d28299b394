"""Run the schedule solver: cohorts first, cheap prechecks, a greedy start, then search.

Pipeline (``SolveOptions.method="auto"``): assign cohorts (decomposition: cohorts first),
run ``precheck``; build a greedy schedule (``warmstart``); check each resident's own rules
alone (a resident who cannot satisfy them makes the program infeasible, explained at once);
then improve the schedule with large-neighbourhood search (``lns``). If the staffing rules
still fail after 60% of the time, or the search stalls on a small program, the full CP-SAT
model takes over with the best schedule as a complete hint: it can still improve it, prove
optimality or prove infeasibility (which ``explain`` then narrows down to a few rules).
``method="cpsat"`` skips the LNS; ``method="lns"`` never polishes with the full model.

The reported bound is the sum of what each resident could reach alone (every term is
non-negative, fairness adds nothing below 0), or CP-SAT's bound when the full model ran;
a schedule at its bound is OPTIMAL. Determinism: ``deterministic=True`` bounds every CP-SAT call by
deterministic time and uses one interleaved worker for the full model, so a seed gives the
same schedule. Cancellation: ``should_stop()`` is polled between moves, by a watcher
thread and in CP-SAT's solution callback (the C++ search ignores Python signals).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver import lns
from scheduling.solver.alone import examine
from scheduling.solver.explain import explain
from scheduling.solver.model import Context, build_model, week_domain
from scheduling.solver.precheck import precheck
from scheduling.solver.problem import Problem, SolveOptions, SolveResult
from scheduling.solver.warmstart import construct

Progress = Callable[[int, float, float], None]

#: CP-SAT subsolvers for the full model on 2 cores: the default LP worker finds schedules,
#: the ``max_lp`` worker (full LP relaxation) works on the bound.
SUBSOLVERS = ("default_lp", "max_lp")
#: programs up to this many residents get the full model when the LNS stalls
POLISH_RESIDENTS = 120

_TIMEOUT = (
    "No schedule meeting every rule was found within {:g} s; the program may be infeasible "
    "or need more time."
)


class _Reporter:
    """Counts schedules, remembers the first one's time, reports progress sparingly."""

    def __init__(self, started: float, progress: Progress | None, every: float = 1.0):
        self.started, self.progress, self.every = started, progress, every
        self.found, self.first, self.last = 0, None, -1e9

    def __call__(self, objective: float) -> None:
        now = time.perf_counter() - self.started
        self.found += 1
        self.first = now if self.first is None else self.first
        if self.progress is not None and (self.found == 1 or now - self.last >= self.every):
            self.last = now
            self.progress(self.found, objective, now)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: _Reporter, should_stop):
        super().__init__()
        self.report, self.should_stop, self.stopped = report, should_stop, False

    def on_solution_callback(self) -> None:
        self.report(self.objective_value)
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            self.stop_search()


def configure(solver: cp_model.CpSolver, options: SolveOptions, seconds: float) -> None:
    """Set CP-SAT parameters (by attribute, as OR-Tools 9.15 wants) for the full model."""
    params = solver.parameters
    params.random_seed = options.seed
    params.num_workers = max(1, options.num_workers)
    params.log_search_progress = options.log_search
    if options.relative_gap_limit:
        params.relative_gap_limit = options.relative_gap_limit
    if options.num_workers >= 2:
        params.subsolvers.extend(SUBSOLVERS[: options.num_workers])
    if options.deterministic:
        params.interleave_search = True
        params.max_deterministic_time = seconds
        params.max_time_in_seconds = 4 * seconds + 10
    else:
        params.max_time_in_seconds = seconds


def gap_of(objective: float | None, bound: float | None) -> float | None:
    """Relative gap ``(objective - bound) / max(1, |objective|)`` of a minimisation."""
    if objective is None or bound is None:
        return None
    return max(0.0, objective - bound) / max(1.0, abs(objective))


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SolveResult:
    """Build and solve the year's schedule; explain it when it cannot be built.

    ``progress(solutions_found, objective, elapsed_s)`` is called at most once a second.
    Returns a ``SolveResult`` whose status is OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN (no
    schedule within the time limit) or CANCELLED (``should_stop`` answered True).
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    deadline = started + options.time_limit_s
    try:
        problem.validate_template()
        problem = problem.with_cohorts()
    except ValueError as error:
        return SolveResult(status="MODEL_INVALID", explanation=[str(error)])
    result = SolveResult(status="UNKNOWN", cohorts={r.id: int(r.cohort) for r in problem.residents})
    result.num_variables = _cells(problem)
    if options.precheck and (issues := precheck(problem)):
        result.status, result.explanation = "INFEASIBLE", issues
    elif should_stop is not None and should_stop():
        result.status = "CANCELLED"
    else:
        report = _Reporter(started, progress)
        _search(problem, options, result, started, deadline, report, should_stop)
        result.solutions_found, result.time_to_first_s = report.found, report.first
    result.total_time_s = time.perf_counter() - started
    return result


def _cells(problem: Problem) -> int:
    """Decision booleans of the full model: one per resident, week and allowed rotation."""
    return sum(
        len(week_domain(problem, res, w, phase))
        for res in problem.residents
        for w, phase in enumerate(problem.phases_of(res))
    )


def _search(problem, options, result, started, deadline, report, should_stop) -> None:
    phases = [problem.phases_of(r) for r in problem.residents]
    domains = [
        [week_domain(problem, res, w, ph) for w, ph in enumerate(phases[r])]
        for r, res in enumerate(problem.residents)
    ]
    grid = construct(problem, domains, phases, prefill=problem.hints)
    if options.method == "cpsat":
        _full(problem, options, result, grid, deadline, report, should_stop)
        return
    if should_stop is not None and should_stop():
        result.status = "CANCELLED"
        return
    seen = examine(problem, grid, options)
    if seen.impossible:
        alone = replace(problem, residents=(problem.residents[seen.impossible[0]],))
        result.status = "INFEASIBLE"
        if options.explain:
            context = Context(staffing="off", fairness=False)
            result.explanation = explain(
                alone, time_limit_s=options.explain_time_limit_s, context=context
            )
        return
    search = lns.Search(
        problem, options, grid, local=seen.costs, broken=set(seen.broken), started=started
    )

    def feasible() -> bool:
        return not search.broken and search.slack() == 0

    def step() -> None:
        if feasible():
            report(search.objective())

    step()
    limit = options.time_limit_s
    workers = 1 if options.deterministic else max(1, options.num_workers)
    small = options.method == "auto" and len(problem.residents) <= POLISH_RESIDENTS
    lns.run(search, 0.6 * limit, step, should_stop, workers)
    if feasible():
        # a small program whose search stalls hands over to the full model, which can still
        # find the last improvements and prove a bound; big ones keep searching
        stall = max(2.0, 0.15 * limit) if small else None
        lns.run(search, limit, step, should_stop, workers, stall_s=stall)
    if options.deterministic:  # the full model gets what is left of the deterministic budget
        deadline = time.perf_counter() + max(0.0, limit - search.elapsed())
    cancelled = should_stop is not None and should_stop()
    if feasible():
        result.assignments = _by_id(problem, search.grid)
        result.objective = float(search.objective())
        result.best_bound = float(search.bound(deadline=max(deadline, time.perf_counter() + 1)))
        result.gap = gap_of(result.objective, result.best_bound)
        result.status = "OPTIMAL" if result.objective <= result.best_bound else "FEASIBLE"
    if cancelled:
        result.status = "CANCELLED"
    elif result.status == "FEASIBLE" and not small:
        pass  # a full model this size would cost more than it can prove in the time left
    elif result.status in ("FEASIBLE", "UNKNOWN") and deadline - time.perf_counter() > 1:
        _full(problem, options, result, search.grid, deadline, report, should_stop)
    if result.status == "UNKNOWN" and not result.explanation:
        result.explanation = [_TIMEOUT.format(limit)]


def _by_id(problem: Problem, grid) -> dict[str, list[str | None]]:
    return {res.id: list(grid[r]) for r, res in enumerate(problem.residents)}


def _full(problem, options, result, grid, deadline, report, should_stop) -> None:
    """Solve the full CP-SAT model from a hint; keep the better of it and ``result``."""
    sm = build_model(problem, weights=options.weights, change_penalty=options.change_penalty)
    sm.hint(grid)
    solver = cp_model.CpSolver()
    configure(solver, options, max(0.5, deadline - time.perf_counter()))
    callback = _Callback(report, should_stop)
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
        objective, bound = solver.objective_value, solver.best_objective_bound
        if result.objective is None or objective <= result.objective:
            result.objective = objective
            result.assignments = sm.assignments(solver.boolean_value)
        result.best_bound = max(bound, result.best_bound or 0.0)
        proven = code == cp_model.OPTIMAL or result.objective <= result.best_bound
        result.status = "OPTIMAL" if proven else "FEASIBLE"
        result.gap = 0.0 if proven else gap_of(result.objective, result.best_bound)
    elif code == cp_model.INFEASIBLE:
        result.status = "INFEASIBLE"
        if options.explain:
            result.explanation = explain(problem, time_limit_s=options.explain_time_limit_s)
    elif result.objective is None:
        result.status = "UNKNOWN"
        result.explanation = [_TIMEOUT.format(options.time_limit_s)]
    if callback.stopped:
        result.status = "CANCELLED"
