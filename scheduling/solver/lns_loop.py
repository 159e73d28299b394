"""The loop of the large-neighbourhood search (``lns``): sub-models solved side by side.

Each round asks the ``Search`` for a neighbourhood, builds its sub-model and solves it in a
worker thread (CP-SAT releases the GIL) while the next one is built; ``Search.finish``
keeps a move only if it still improves the current schedule.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from scheduling.solver.lns import Job, Search
from scheduling.solver.problem import Problem, SolveOptions

#: Time limit of a move while the schedule still breaks a rule (else 0.5 s for a window of
#: weeks, 1 s for whole years). Such a move stops at its first schedule that breaks no
#: staffing rule (``lns._SlackFree``); measured on any-phase programs with 4-week runs
#: (200 and 400 residents, contested), the moves that closed gaps did so in 0.05-0.25 s and
#: the others ran to their limit for nothing: first schedule at 400 residents 11-12 s with
#: the old limits, 7.8-8.3 s with 0.3 s (0.2 s: 7.9-8.9 s; 0.15 s: 9.7 s).
SOFT_MOVE_S = 0.3


def run(
    search: Search,
    until: float,
    on_step,
    should_stop,
    workers: int = 1,
    stall_s: float | None = None,
    until_feasible: bool = False,
    until_valid: bool = False,
    pick=None,
) -> None:
    """Improve ``search.grid`` until ``search.elapsed()`` reaches ``until``, the schedule
    is provably best, ``should_stop()``, - with ``stall_s`` - no move has helped for
    that long (on the same clock), - with ``until_feasible`` - every hard rule holds, or
    - with ``until_valid`` - every resident's own rules hold (staffing aside).
    ``pick`` chooses the neighbourhoods instead of ``search.neighbourhood``.

    With ``workers`` > 1 that many sub-models (on disjoint residents) are solved at once in
    threads while the next one is built; ``finish`` re-checks each move against the
    current schedule, so moves that were computed on a stale picture are safe.
    """
    opts = search.options
    inflight: list[tuple[Future, Job]] = []
    last_gain = search.elapsed()
    wall_cap = time.perf_counter() + 4 * opts.time_limit_s + 10  # safety for deterministic
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while True:
            now = search.elapsed()
            stop = (
                now >= until
                or time.perf_counter() >= wall_cap
                or (should_stop is not None and should_stop())
                or (search.feasible() and (until_feasible or search.proven()))
                or (until_valid and not search.broken - search.hopeless)
                or (stall_s is not None and now - last_gain > stall_s)
            )
            while not stop and len(inflight) < max(1, workers):
                busy = {r for _, job in inflight for r in job.free}
                free, window = (pick or search.neighbourhood)()
                free = [r for r in free if r not in busy]
                if not free:
                    break
                cap = SOFT_MOVE_S if not search.feasible() else 0.5 if window else 1.0
                seconds = min(cap, max(0.05, until - now))
                job = search.prepare(free, window)
                inflight.append((pool.submit(job.solve, seconds, opts.deterministic), job))
            if not inflight:
                return
            done, _ = wait([f for f, _ in inflight], return_when=FIRST_COMPLETED)
            for future, job in [item for item in inflight if item[0] in done]:
                inflight.remove((future, job))
                if search.finish(future.result()):
                    last_gain = search.elapsed()
                    on_step()


def mend_rows(
    problem: Problem, options: SolveOptions, grid, costs: list[int], rows, seconds: float
) -> list[int]:
    """Mend the rows ``rows`` of ``grid`` (in place): residents whose own rules break.

    Each is a move of one resident's whole year, everybody else fixed and staffing soft:
    CP-SAT gives the row that meets all of the resident's own rules and breaks the fewest
    staffing rules (then costs least), two residents at a time on ``options.num_workers``.
    ``costs`` are each row's own objective terms (``alone.examine``). Returns the residents
    still broken after ``seconds`` (of the search clock). Measured on any-phase programs
    with 4-week minimum runs (400 residents): 40-100 broken rows mended in 1-2 s, where
    mending them a cell at a time in Python took 1.5 s and left a third of them broken.
    """
    search = Search(problem, options, grid, local=list(costs), broken=set(rows))
    workers = 1 if options.deterministic else max(1, options.num_workers)
    run(search, seconds, lambda: None, None, workers, until_valid=True)
    return sorted(search.broken)
