"""Lower bounds from one relaxation per wished-for rotation ("wish groups").

When wishes conflict (everybody avoids nights over the holidays, most want the one scarce
elective), the bound "what each resident could reach alone" stays near 0 because it drops
the staffing rules that make the wishes clash. This relaxation keeps them: for each
rotation ``k`` that some wish names, a model with one boolean per resident-week that may
take ``k``, all of ``k``'s own rules (weekly staffing, requirement bounds, run rules,
phase, leave, vacation, pins) and the weekly room the *other* rotations' staffing minima
leave, minimising only the wishes about ``k``. The rules it drops (the rest of each
resident's year) can only raise the cost, and every objective term is non-negative and
belongs to at most one group, so the sum of the groups' bounds bounds the whole
objective from below. Each group is small (one rotation) and solves in well under a second.

Fairness, continuity and change terms are left out (they count 0 here, which keeps the
bound valid). Each group's own optimal assignment is kept as a hint for the full model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.solver.model import week_domain
from scheduling.solver.problem import ObjectiveWeights, Problem
from scheduling.solver.report import unmet_wishes


@dataclass
class GroupBound:
    """One wished-for rotation: its bound, its relaxation's cost and assignment."""

    code: str
    bound: int = 0
    value: int | None = None
    proven: bool = False
    work: float = 0.0  # CP-SAT deterministic time spent
    cells: set[tuple[int, int]] = field(default_factory=set)  # (resident, week) on ``code``


def wished_codes(problem: Problem, weights: ObjectiveWeights, grid=None) -> list[str]:
    """Rotations named by some prefer or avoid wish, in program order; with ``grid``, a
    schedule that meets every rule, only those whose wishes it leaves unmet: that
    schedule, on one rotation, is a solution of the rotation's relaxation, so a rotation
    whose wishes it meets has the bound 0 (no need to solve for it)."""
    if grid is None:
        named = {k for res in problem.residents for k, _ in res.prefers}
        named |= {k for res in problem.residents for k, _, _ in res.avoids}
    else:
        named = {
            code
            for res, row in zip(problem.residents, grid, strict=True)
            for kind, code, _, _ in unmet_wishes(problem, res, row, weights.prefer_weeks)
            if (weights.prefer if kind == "prefer" else weights.avoid)
        }
    return [r.code for r in problem.rotations if r.code in named]


def _room(problem: Problem, domains, code: str) -> dict[tuple[frozenset[int], int], int]:
    """Per (PGY set of a staffing rule of ``code``, week): most residents of that set who
    can be on ``code``: those present, minus what other rotations' minima need of them."""
    out = {}
    rot = problem.rotation(code)
    for spec in rot.staffing:
        levels = frozenset(spec.pgy)
        for w in range(problem.weeks):
            present = sum(
                1 for r, res in enumerate(problem.residents) if res.pgy in levels and domains[r][w]
            )
            need = 0
            for other in problem.rotations:
                if other.code == code:
                    continue
                # a minimum that only residents of ``levels`` can fill, once per rotation
                need += max((s.min for s in other.staffing if set(s.pgy) <= levels), default=0)
            out[(levels, w)] = present - need
    return out


def group_bound(
    problem: Problem,
    code: str,
    weights: ObjectiveWeights,
    domains,
    seconds: float,
    deterministic: bool = False,
) -> GroupBound:
    """Solve the relaxation of rotation ``code`` (see the module docstring)."""
    p, m = problem, cp_model.CpModel()
    rot = p.rotation(code)
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for r in range(len(p.residents)):
        for w in range(p.weeks):
            if code in domains[r][w]:
                y[(r, w)] = m.new_bool_var(f"y{r}_{w}")
                if len(domains[r][w]) == 1:
                    m.add(y[(r, w)] == 1)
    room = _room(p, domains, code)
    for spec in rot.staffing:
        for w in range(p.weeks):
            terms = [
                v
                for r, res in enumerate(p.residents)
                if res.pgy in spec.pgy and (v := y.get((r, w))) is not None
            ]
            hi = min(len(terms), room[(frozenset(spec.pgy), w)])
            if spec.max is not None:
                hi = min(hi, spec.max)
            m.add_linear_constraint(sum(terms), spec.min, max(hi, spec.min))
    for r, res in enumerate(p.residents):
        mine = [y[(r, w)] for w in range(p.weeks) if (r, w) in y]
        for q in p.requirements:
            if code not in q.rotations or not q.applies_to(res):
                continue
            if q.max_weeks is not None:
                m.add(sum(mine) <= q.max_weeks)
            if set(q.rotations) == {code} and q.min_weeks:
                m.add(sum(mine) >= q.min_weeks)
        _runs(m, p, r, res, rot, y)
    cost = []
    for r, res in enumerate(p.residents):
        for k, weight in res.prefers:
            have = [y[(r, w)] for w in range(p.weeks) if k == code and (r, w) in y]
            want = min(weights.prefer_weeks, len(have))
            if weights.prefer and want:
                short = m.new_int_var(0, want, f"short{r}")
                m.add(short >= want - sum(have))
                cost.append(weights.prefer * weight * short)
        for k, weeks, weight in res.avoids:
            if k == code and weights.avoid:
                cost += [weights.avoid * weight * y[(r, w)] for w in weeks if (r, w) in y]
    m.minimize(sum(cost))
    solver = cp_model.CpSolver()
    params = solver.parameters
    if deterministic:  # one worker, deterministic time: the same bound on any machine load
        params.num_workers, params.max_deterministic_time = 1, max(0.05, seconds)
    else:  # measured: the LP workers prove these selection problems fastest
        params.num_workers, params.max_time_in_seconds = 2, max(0.05, seconds)
        params.subsolvers.extend(["max_lp", "core"])
    status = solver.solve(m)
    out = GroupBound(code, work=solver.deterministic_time)
    if status == cp_model.INFEASIBLE:  # the whole program is infeasible: any bound holds;
        return out  # the full model proves and explains it
    out.bound = max(0, math.ceil(solver.best_objective_bound - 1e-6)) if cost else 0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out.value = round(solver.objective_value)
        out.proven = status == cp_model.OPTIMAL
        out.cells = {rw for rw, v in y.items() if solver.boolean_value(v)}
    return out


def _runs(m, p: Problem, r: int, res, rot, y) -> None:
    """Max consecutive weeks and min run of ``rot`` for resident ``r`` (as in ``model``)."""
    mc, mr = rot.max_consecutive_weeks, rot.min_run_weeks
    if mc:
        for s in range(p.weeks - mc):
            window = [y[(r, w)] for w in range(s, s + mc + 1) if (r, w) in y]
            if len(window) > mc:
                m.add(sum(window) <= mc)
    if not mr or mr < 2:
        return
    leave, last = set(res.leave_weeks), p.weeks - 1
    for s in range(1, p.weeks):
        if (r, s) not in y or s - 1 in leave:
            continue  # a run after the year's start or after leave is exempt
        start = [y[(r, s)].negated()] + ([y[(r, s - 1)]] if (r, s - 1) in y else [])
        for t in range(s + 1, s + mr):
            if t > last or t in leave:
                break
            m.add_bool_or([*start, y[(r, t)]] if (r, t) in y else start)


def wish_bounds(
    problem: Problem,
    weights: ObjectiveWeights,
    *,
    seconds: float = 2.0,
    deadline: float | None = None,
    deterministic: bool = False,
    grid=None,
) -> list[GroupBound]:
    """Bound every wished-for rotation's wishes (problem residents must have cohorts);
    with ``grid``, a schedule meeting every rule, only those it leaves unmet.

    Each group gets up to ``seconds`` (deterministic: all groups share ``seconds`` of
    deterministic time), and none starts after ``deadline`` (``time.perf_counter()``
    value; ignored when ``deterministic``); a group not solved counts 0.
    """
    phases = [problem.phases_of(res) for res in problem.residents]
    domains = [
        [week_domain(problem, res, w, ph) for w, ph in enumerate(phases[r])]
        for r, res in enumerate(problem.residents)
    ]
    out = []
    codes = wished_codes(problem, weights, grid)
    for code in codes:
        left = seconds / len(codes) if deterministic else seconds
        if deadline is not None and not deterministic:
            left = min(seconds, deadline - time.perf_counter())
        if left <= 0.05:
            break
        out.append(group_bound(problem, code, weights, domains, left, deterministic))
    return out
