"""The yardstick: a plain full CP-SAT model of one year, written the obvious way.

One boolean per resident x week x rotation the resident's phase allows; every hard rule of
spec/program-bundle.md as a constraint; the weighted wishes as the objective; CP-SAT with
its default search on ``workers`` workers; no greedy start, no decomposition, no tuning.
The product's builder (``scheduling.solver.solve``) must beat this on every benchmark
program. Cohorts are the default ones (``Problem.with_cohorts``), as the builder's start.
"""

from __future__ import annotations

import time
from fractions import Fraction

from ortools.sat.python import cp_model

from scheduling.solver.problem import ObjectiveWeights, Problem, SolveResult
from scheduling.xy import rotation_fits_phase


class _First(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float):
        super().__init__()
        self.started, self.first, self.found = started, None, 0

    def on_solution_callback(self) -> None:
        self.found += 1
        if self.first is None:
            self.first = time.perf_counter() - self.started


def solve_plain(
    problem: Problem,
    weights: ObjectiveWeights,
    time_limit_s: float,
    workers: int = 2,
    params: str = "",
    change_penalty: int = 0,
) -> SolveResult:
    """Build and solve the plain model; return its figures in a ``SolveResult``.

    ``params`` (CP-SAT text format): the benchmark sets only ``random_seed`` (to measure
    run-to-run noise); anything else is for experiments.
    The objective is the wishes part of the builder's: ``weights.prefer`` x weight per week
    short of ``weights.prefer_weeks`` on a preferred rotation, ``weights.avoid`` x weight per
    avoided week granted. (Bench runs give the builder the same weights.) With
    ``change_penalty`` (a re-plan), each hinted cell (``Problem.hints``, the published
    schedule) the model changes costs that much more, as in the builder; the hints are
    only costs here, not a solution hint (the yardstick has none).
    """
    started = time.perf_counter()
    p = problem.with_cohorts()
    m = cp_model.CpModel()
    rots = p.rotation_map
    last = p.weeks - 1
    # x[r][w][k]: resident r on rotation k in week w (no entry: phase or leave forbid it)
    x: list[list[dict[str, cp_model.IntVar]]] = []
    for r, res in enumerate(p.residents):
        phases, leave, row = p.phases_of(res), set(res.leave_weeks), []
        for w in range(p.weeks):
            cell = {}
            if w not in leave:
                for k, rot in rots.items():
                    if rotation_fits_phase(rot.phase, in_y=phases[w] == "y"):
                        cell[k] = m.new_bool_var(f"x{r}_{w}_{k}")
                m.add_exactly_one(cell.values())
                if w in res.vacation_weeks:  # approved vacation
                    m.add(sum(v for k, v in cell.items() if rots[k].is_vacation) == 1)
            row.append(cell)
        x.append(row)
        for (rid, w), k in p.fixed.items():  # pinned cells
            if rid == res.id and w not in leave:
                m.add_bool_or([row[w][k]] if k in row[w] else [])  # empty: cannot hold

    def on(r, w, k):
        return x[r][w].get(k, 0)

    for rot in p.rotations:  # weekly staffing
        for spec in rot.staffing:
            who = [r for r, res in enumerate(p.residents) if res.pgy in spec.pgy]
            for w in range(p.weeks):
                n = sum(on(r, w, rot.code) for r in who)
                m.add(n >= spec.min)
                if spec.max is not None:
                    m.add(n <= spec.max)
    for q in p.requirements:  # yearly requirements
        for r, res in enumerate(p.residents):
            if q.applies_to(res):
                n = sum(on(r, w, k) for w in range(p.weeks) for k in q.rotations)
                if q.min_weeks is not None:
                    m.add(n >= q.min_weeks)
                if q.max_weeks is not None:
                    m.add(n <= q.max_weeks)
    for r, res in enumerate(p.residents):
        leave = set(res.leave_weeks)
        for k, rot in rots.items():
            mc, mr = rot.max_consecutive_weeks, rot.min_run_weeks
            if mc:  # never more than mc weeks in a row
                for s in range(p.weeks - mc):
                    m.add(sum(on(r, w, k) for w in range(s, s + mc + 1)) <= mc)
            if mr and mr > 1:  # a run that starts in week s lasts mr weeks, unless the end
                for s in range(1, p.weeks):  # of the year or leave cuts it short; a run
                    if k not in x[r][s] or s - 1 in leave:  # after week 0 or leave is exempt
                        continue
                    start = m.new_bool_var(f"start{r}_{s}_{k}")
                    before = [x[r][s - 1][k]] if k in x[r][s - 1] else []
                    m.add_bool_or([start, x[r][s][k].negated(), *before])
                    for t in range(s + 1, s + mr):
                        if t > last or t in leave:
                            break
                        m.add(on(r, t, k) == 1).only_enforce_if(start)
        track = p.track_map.get(res.track)
        if track is not None:  # ambulatory share within the track's band
            cells = [(k, v) for cell in x[r] for k, v in cell.items()]
            amb = sum(v for k, v in cells if rots[k].is_ambulatory)
            inp = sum(v for k, v in cells if rots[k].is_inpatient)
            lo, hi = Fraction(str(track.ambulatory_min)), Fraction(str(track.ambulatory_max))
            m.add(lo.denominator * amb >= lo.numerator * (amb + inp))
            m.add(hi.denominator * amb <= hi.numerator * (amb + inp))
    cost = []
    for r, res in enumerate(p.residents):
        for k, weight in res.prefers:
            have = [cell[k] for cell in x[r] if k in cell]
            want = min(weights.prefer_weeks, len(have))
            if want and weights.prefer:
                short = m.new_int_var(0, want, f"short{r}_{k}")
                m.add(short >= want - sum(have))
                cost.append(weights.prefer * weight * short)
        for k, weeks, weight in res.avoids:
            cost += [weights.avoid * weight * on(r, w, k) for w in weeks]
    index = {res.id: r for r, res in enumerate(p.residents)}
    for (rid, w), k in sorted(p.hints.items()) if change_penalty else ():
        r = index.get(rid)
        if r is not None and w < p.weeks and w not in p.residents[r].leave_weeks:
            cost.append(change_penalty * (1 - on(r, w, k)))
    m.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s - (time.perf_counter() - started))
    if params:  # the yardstick otherwise runs with CP-SAT's defaults
        solver.parameters.merge_text_format(params)
    callback = _First(started)
    code = solver.solve(m, callback)
    cells = sum(len(cell) for row in x for cell in row)
    result = SolveResult(status=solver.status_name(code), num_variables=cells)
    result.cohorts = {res.id: int(res.cohort) for res in p.residents}
    result.cohorts_chosen = any(res.cohort is None for res in problem.residents)
    result.time_to_first_s, result.solutions_found = callback.first, callback.found
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.objective, result.best_bound = solver.objective_value, solver.best_objective_bound
        result.gap = max(0.0, result.objective - result.best_bound) / max(1.0, result.objective)
        result.assignments = {
            res.id: [
                next((k for k, v in x[r][w].items() if solver.boolean_value(v)), None)
                for w in range(p.weeks)
            ]
            for r, res in enumerate(p.residents)
        }
    if result.cohorts_chosen and result.objective:  # proofs hold for these cohorts only
        result.bound_scope = "cohorts"
    result.total_time_s = time.perf_counter() - started
    return result
