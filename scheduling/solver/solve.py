"""Run the schedule solver: cohorts, prechecks, a greedy start, repair, bounds, search.

Pipeline (``SolveOptions.method="auto"``), measured on docs/benchmarks.md's programs:

1. cohorts (``Problem.with_cohorts``) and the arithmetic ``precheck``;
2. the first schedule: a greedy start (``warmstart``) whose broken rows are mended by
   one-resident CP-SAT moves (``lns_loop.mend_rows``) and whose staffing gaps are closed
   by small moves in Python (``repair``), then by large-neighbourhood search (``lns``,
   ``lns_loop``) if anything is left. A resident who cannot meet their own rules at all
   makes the program infeasible, explained at once;
3. a short LNS (``QUICK_SHARE``): programs whose wishes do not clash usually reach 0
   here (proven best);
4. bounds: each wished-for rotation's relaxation (``relax``) bounds what staffing makes
   unavoidable, and a second greedy start keeps those relaxations' placements
   (``_guided``): measured, it lands far closer to the optimum than the LNS gets in the
   same time;
5. improvement: residents trade contested weeks (``exchange``: the rotations whose wish
   groups have a positive bound, or - when they proved nothing in their time - every
   rotation somebody wishes about) and moves of the residents who stray from the wish
   groups' own placements (``lns.Search.deviants``); then, up to ``FULL_RESIDENTS``
   residents (``BUSY_FULL_RESIDENTS`` on a busy machine), the full CP-SAT model (``full``)
   finishes from the best schedule as a complete hint, the twins ordered, and stops at the
   bounds' sum (it improves faster than the LNS at that size and proves optima);
   bigger programs keep the LNS to the end (and add each resident's own bound), which needs
   a fraction of the full model's memory and stays steady when the cores are shared. A
   re-plan goes from the repaired published schedule straight to the full model.

``method="cpsat"`` goes from the greedy start straight to the full model; ``method="lns"``
never uses it unless the LNS finds no schedule. The reported bound is the best of CP-SAT's,
the wish groups' sum and the residents-alone sum (every objective term is non-negative);
a schedule at its bound is OPTIMAL. A time-out without a schedule is UNKNOWN, never
INFEASIBLE, which only a proof gives (then ``explain`` names the rules). Determinism:
``deterministic=True`` bounds every CP-SAT call by deterministic time, charges each LNS
move a fixed share of it, bounds trades by their count and Python repairs by progress
(the clock is only a safety cap) and uses one interleaved worker for the full model, so
a seed gives the same schedule whatever the machine's load. Cancellation:
``should_stop()`` is polled between moves, by a watcher thread and in CP-SAT's solution
callback (the C++ search ignores Python signals).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver import lns
from scheduling.solver.alone import examine
from scheduling.solver.cohorts import choose_cohorts
from scheduling.solver.exchange import exchange
from scheduling.solver.explain import explain
from scheduling.solver.full import solve_full
from scheduling.solver.lns_loop import mend_rows
from scheduling.solver.lns_loop import run as lns_run
from scheduling.solver.model import Context, week_domain
from scheduling.solver.objective import schedule_cost
from scheduling.solver.precheck import precheck
from scheduling.solver.problem import Problem, SolveOptions, SolveResult
from scheduling.solver.relax import wish_bounds, wished_codes
from scheduling.solver.repair import repair_staffing
from scheduling.solver.replan import replan_bound
from scheduling.solver.warmstart import construct

Progress = Callable[[int, float, float], None]
logger = logging.getLogger(__name__)

#: programs up to this many residents improve with the full model after the first schedule.
#: Measured (docs/benchmarks.md, 2 idle cores, contested wishes, three seeds): at 100
#: residents the full model from the LNS's schedule ended 0.4-0.8% above the bound on every
#: template (the LNS to the end: up to 2.7%); at 200 the two were even (730-732 of 728)
#: and the full model took 570 MB; at 50 it proves the optimum within the limit.
FULL_RESIDENTS = 150
#: ... but on a machine this busy (1-minute load average per core) only up to
#: ``BUSY_FULL_RESIDENTS``: with other processes on the 2 cores, the full model at 100
#: residents ended 17-33% above its bound where the LNS, whose small models still finish,
#: ended 0.4-2% above (measured at load 5-9 on 2 cores).
BUSY_LOAD_PER_CORE = 2.0
BUSY_FULL_RESIDENTS = 60
#: The quick LNS after the first schedule runs for at most this share of the limit (or
#: until it stalls): programs whose wishes do not clash end there, at 0 (measured on the
#: uncontested 100-resident programs: 0.3-1 s after the first schedule, where the full
#: model needed 2-8 s more). Up to ``FULL_RESIDENTS`` it stops sooner: when wishes clash
#: the full model, started from the guided schedule (``_guided``), improves faster than
#: the LNS, and the time the LNS took it lacked (measured on the contested 100-resident
#: programs, 2 idle cores: with 3 s of quick LNS and 3 s of LNS after the trades 257-273,
#: with neither and the guided start 257-263; 3+2 50 proven in 12.9 s instead of 24.3 s,
#: plain 19.0 s).
QUICK_SHARE = 0.1
QUICK_FULL_SHARE = 0.04
#: After the trades: moves of the residents who stray from the wish groups' own placements
#: (``lns.Search.deviants``), for at most this share of the limit, or until none has
#: helped for ``SETTLE_STALL_SHARE`` of it. Measured on contested 4+1 100 (2 idle cores,
#: 30 s): the guided start's 318 went to 274-276 in about 2 s, and the full model then
#: proved 268 in 6.8-13.5 s on 9 solver seeds of 9 (without: 268 in 7 of 16 single runs,
#: up to 270; 272-273 in two full benchmark tables). Before the LNS that runs to the end
#: (``method="lns"``, and a busy machine's path at that size): 268 proven in 15.7-21.5 s on
#: 3 seeds of 3, against 268, 269 and 270 without; at 200 and 400 residents no clear
#: difference (three seeds each).
SETTLE_SHARE = 0.15
SETTLE_STALL_SHARE = 0.03
#: trades of contested weeks checked per resident in a deterministic run
TRADES_PER_RESIDENT = 40


def timeout_text(seconds: float) -> str:
    """The explanation of a time-out without a schedule: not a proof of infeasibility."""
    return f"No schedule found in {seconds:g} s — try a longer limit."


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
        chosen = any(res.cohort is None for res in problem.residents)
        if options.choose_cohorts and chosen and options.precheck:
            problem = _cohorts(problem)
        problem = problem.with_cohorts()
    except ValueError as error:
        return SolveResult(status="MODEL_INVALID", explanation=[str(error)])
    result = SolveResult(status="UNKNOWN", cohorts={r.id: int(r.cohort) for r in problem.residents})
    result.cohorts_chosen = chosen
    result.best_bound, result.bound_source = 0.0, "non-negative terms"
    result.num_variables = _cells(problem)
    if options.precheck and (issues := precheck(problem)):
        result.status, result.explanation = "INFEASIBLE", issues
    elif should_stop is not None and should_stop():
        result.status = "CANCELLED"
    else:
        report = _Reporter(started, progress)
        _search(problem, options, result, started, deadline, report, should_stop)
        result.solutions_found, result.time_to_first_s = report.found, report.first
    if chosen and result.objective:  # 0 is best whatever the cohorts; any other proof is not
        result.bound_scope = "cohorts"
    result.total_time_s = time.perf_counter() - started
    return result


def _cohorts(problem: Problem) -> Problem:
    """Cohorts chosen by the residents' wishes (``cohorts``), unless that makes a precheck
    fail that the default spread passes (leave and vacation fall differently)."""
    chosen, _ = choose_cohorts(problem)
    if precheck(chosen) and not precheck(problem.with_cohorts()):
        return problem.with_cohorts()
    return chosen


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
    limit = options.time_limit_s
    if options.method == "cpsat":
        groups = _bounds(problem, options, result, deadline)
        _full(
            problem,
            options,
            result,
            grid,
            deadline - time.perf_counter(),
            report,
            should_stop,
            groups,
        )
        _finish(result, limit)
        return
    if should_stop is not None and should_stop():
        result.status = "CANCELLED"
        return
    seen = examine(problem, grid, options, decide=False)
    if seen.broken:  # mend rows first; a resident without a valid row is infeasible
        mend_rows(problem, options, grid, seen.costs, seen.broken, _repair_s(options))
    repair_staffing(problem, grid, domains, seconds=_repair_s(options))
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
    # A re-plan: the published schedule's own cost (less what changes could gain) bounds
    # the objective, so a schedule that keeps it is proven best at once (``replan``).
    _raise_bound(result, replan_bound(problem, options.weights, options.change_penalty), "re-plan")
    search.known_bound = int(result.best_bound or 0)

    def step() -> None:
        if search.feasible():
            report(search.objective())

    step()
    workers = 1 if options.deterministic else max(1, options.num_workers)
    # A re-plan (``minimal_change``) goes to the full model whatever its size, straight
    # from the repaired published schedule: each change's cost makes its LP relaxation
    # tight and the hint is complete but for the few cells the new leave broke; measured
    # (docs/benchmarks.md) the full model proves the 100-resident re-plan where the LNS
    # ends 50% from its bound, and mending the hint by LNS first only cost time.
    replan = options.minimal_change and bool(problem.hints) and options.change_penalty > 0
    full = options.method == "auto" and (
        len(problem.residents) <= _full_residents(options) or replan
    )
    # 1. The first schedule: repair what the greedy start left broken.
    if not replan:
        lns_run(search, 0.6 * limit, step, should_stop, workers, until_feasible=True)
    if should_stop is not None and should_stop():
        _take(problem, result, search)
        result.status = "CANCELLED"
        return
    # 2. Quick improvement: most programs whose wishes do not clash end here, at 0.
    if search.feasible() and not replan:
        until = search.elapsed() + (QUICK_FULL_SHARE if full else QUICK_SHARE) * limit
        lns_run(search, until, step, should_stop, workers, stall_s=max(1.0, 0.05 * limit))
    _take(problem, result, search)
    # 3. What staffing makes unavoidable, then improve (a re-plan: the full model at once).
    groups = []
    if result.status != "OPTIMAL" and not replan:
        valid = search.grid if search.feasible() else None  # its met wishes bound 0
        groups = _bounds(problem, options, result, deadline, valid)
        search.known_bound = max(search.known_bound, int(result.best_bound or 0))
        # trades go where the wish groups proved a cost, else (they proved nothing, or had
        # no time to on a loaded machine) to every rotation somebody wishes about
        search.targets = [g.code for g in groups if g.bound > 0] or wished_codes(
            problem, options.weights
        )
        _guided(problem, options, search, domains, phases, groups, step)
        if search.targets and search.feasible() and not replan:  # trades move people
            if options.deterministic:  # a count of trades, not the clock
                stop, tries = float("inf"), TRADES_PER_RESIDENT * len(problem.residents)
            else:
                stop, tries = min(deadline, time.perf_counter() + 0.1 * limit), None
            if exchange(search, search.targets, domains, stop, max_tries=tries):
                step()
        if any(g.bound > 0 for g in groups) and search.feasible():
            search.groups = [g for g in groups if g.value is not None]  # their placements
            until = search.elapsed() + SETTLE_SHARE * limit
            stall = max(0.5, SETTLE_STALL_SHARE * limit)
            lns_run(search, until, step, should_stop, workers, stall_s=stall, pick=search.deviants)
        _take(problem, result, search)
    if result.status != "OPTIMAL" and not (replan or (full and search.feasible())):
        # beyond FULL_RESIDENTS the LNS settles the clashes to the end, less the time to
        # hand the schedule over within the limit (up to FULL_RESIDENTS, and for a re-plan,
        # the full model takes over from here: it improves faster than the LNS and proves)
        until = limit - (0 if options.deterministic else _handover_s(problem))
        lns_run(search, until, step, should_stop, workers)
    _take(problem, result, search)
    if search.feasible() and result.status != "OPTIMAL" and not full:
        # each resident alone: an extra bound where the wish groups prove nothing (also
        # when the LNS stopped because every resident reached it: then it proves the optimum)
        _raise_bound(result, search.bound(deadline=deadline - 0.05), "residents alone")
    cancelled = should_stop is not None and should_stop()

    def left() -> float:
        """Time for the full model: the deterministic budget's rest, or the wall clock's
        less the time to read, re-score and check its schedule within the limit."""
        if options.deterministic:
            return limit - search.elapsed() - sum(g.work for g in groups)
        return deadline - time.perf_counter() - 0.3 - 0.002 * len(problem.residents)

    finish = full or result.objective is None
    if finish and not cancelled and result.status != "OPTIMAL" and left() > 1:
        valid = search.feasible()
        _full(problem, options, result, search.grid, left(), report, should_stop, groups, valid)
    if cancelled:
        result.status = "CANCELLED"
    _finish(result, limit)


def _guided(problem, options, search: lns.Search, domains, phases, groups, step) -> None:
    """A second greedy start that keeps the wish groups' own best placements of the
    rotations whose wishes clash; adopted when it meets every rule and costs less."""
    prefill = dict(problem.hints)
    for group in groups:
        if group.bound > 0:
            for r, w in sorted(group.cells):
                prefill.setdefault((problem.residents[r].id, w), group.code)
    if len(prefill) == len(problem.hints):
        return
    grid = construct(problem, domains, phases, prefill=prefill)
    seen = examine(problem, grid, options, decide=False)
    if seen.broken:
        mend_rows(problem, options, grid, seen.costs, seen.broken, _repair_s(options))
    if repair_staffing(problem, grid, domains, seconds=_repair_s(options)):
        return
    seen = examine(problem, grid, options, decide=False)
    if seen.broken:
        return
    cost = schedule_cost(problem, grid, options.weights, options.change_penalty)
    if not search.feasible() or cost < search.objective():
        search.adopt(grid, seen.costs)
        step()


def _full_residents(options: SolveOptions) -> int:
    """Up to how many residents the full model finishes the search: ``FULL_RESIDENTS``, or
    ``BUSY_FULL_RESIDENTS`` on a busy machine (never in a deterministic run, whose result
    must not depend on the machine's load)."""
    if not options.deterministic:
        cores = os.cpu_count() or 1
        if os.getloadavg()[0] > BUSY_LOAD_PER_CORE * cores:
            return min(FULL_RESIDENTS, BUSY_FULL_RESIDENTS)
    return FULL_RESIDENTS


def _handover_s(problem: Problem) -> float:
    """Wall time kept at the end of an LNS that runs to the limit: the last moves finish,
    the schedule is read out and the result settled before the limit (measured 0.05-0.15 s
    at 100 residents), so the builder never ends after a plain model given the same limit."""
    return 0.15 + 0.001 * len(problem.residents)


def _repair_s(options: SolveOptions) -> float:
    """Time for a repair pass (the rows' mending, the Python staffing moves): a twentieth
    of the limit; in a deterministic run only a safety cap (the pass ends when every row
    is mended or no move helps), so the load cannot change it."""
    if options.deterministic:
        return 4 * options.time_limit_s + 10
    return max(0.2, 0.05 * options.time_limit_s)


def _bounds(problem, options, result, deadline, grid=None):
    """Wish-group bounds (``relax``), within a tenth of the time limit; with ``grid`` (a
    schedule meeting every rule) only for the rotations whose wishes it leaves unmet."""
    budget = max(0.5, 0.1 * options.time_limit_s)
    stop = min(deadline, time.perf_counter() + budget)
    groups = wish_bounds(
        problem,
        options.weights,
        seconds=budget,
        deadline=stop,
        deterministic=options.deterministic,
        grid=grid,
    )
    _raise_bound(result, sum(g.bound for g in groups), "wish groups")
    return groups


def _raise_bound(result: SolveResult, bound: float, source: str) -> None:
    if bound > (result.best_bound or 0.0):
        result.best_bound, result.bound_source = float(bound), source
    _settle(result)


def _settle(result: SolveResult) -> None:
    """Status and gap of a result that has a schedule: OPTIMAL only at its bound."""
    if result.objective is None or result.status == "CANCELLED":
        return
    bound = result.best_bound or 0.0
    result.gap = gap_of(result.objective, bound)
    result.status = "OPTIMAL" if result.objective <= bound + 1e-9 else "FEASIBLE"


def _take(problem: Problem, result: SolveResult, search: lns.Search) -> None:
    """Keep the search's schedule if it meets every rule and beats what ``result`` has."""
    if not search.feasible():
        return
    objective = float(search.objective())
    if result.objective is None or objective < result.objective:
        result.objective = objective
        result.assignments = _by_id(problem, search.grid)
    _settle(result)


def _finish(result: SolveResult, limit: float) -> None:
    if result.status == "UNKNOWN" and not result.explanation:
        result.explanation = [timeout_text(limit)]


def _breaks(problem: Problem, rows) -> list:
    from scheduling.hard_rules import schedule_breaks  # hard_rules imports the solver

    return schedule_breaks(problem, rows)


def _by_id(problem: Problem, grid) -> dict[str, list[str | None]]:
    return {res.id: list(grid[r]) for r, res in enumerate(problem.residents)}


def _full(problem, options, result, grid, seconds, report, should_stop, groups, valid=False):
    """Solve the full CP-SAT model from a hint; keep the better of it and ``result``.

    ``valid``: the hint meets every rule; then the full model also breaks the symmetry
    between interchangeable residents (it only has to improve and prove); a greedy start
    that may break rules gets no symmetry cuts."""
    code, objective, bound, rows, stopped = solve_full(
        problem,
        options,
        grid,
        seconds,
        report,
        should_stop,
        groups,
        valid=valid,
        known_bound=result.best_bound,
    )
    if rows is not None and (breaks := _breaks(problem, rows)):
        # the model and the rules disagree: a bug; never hand out such a schedule
        logger.error("The full model broke %d hard rules, e.g. %s", len(breaks), breaks[0])
        rows = None
    if rows is not None:
        grid = [rows[res.id] for res in problem.residents]
        objective = min(
            objective, schedule_cost(problem, grid, options.weights, options.change_penalty)
        )
        if result.objective is None or objective <= result.objective:
            result.objective, result.assignments = objective, rows
        if code == cp_model.OPTIMAL:
            bound = objective
        _raise_bound(result, bound, "cp-sat")
    elif code == cp_model.INFEASIBLE and result.objective is None:
        result.status = "INFEASIBLE"
        if options.explain:
            result.explanation = explain(problem, time_limit_s=options.explain_time_limit_s)
    if stopped:
        result.status = "CANCELLED"
