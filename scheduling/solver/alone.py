"""Each resident on their own: what their row costs, whether it breaks their own rules,
and the best they could reach if staffing and fairness did not tie them to anybody else.

These one-resident models are tiny, so they run for every resident before the search: a
broken row is repaired first, a resident with no valid row at all proves the program
infeasible (and ``explain`` names their clashing rules), and the sum of the best costs
alone is the lower bound the solver reports (fairness and staffing add nothing negative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduling.solver.model import Context, build_model
from scheduling.solver.objective import resident_cost
from scheduling.solver.problem import Problem, SolveOptions


@dataclass
class Examined:
    """Each resident on their own: current cost, broken row, or no valid row at all."""

    costs: list[int]
    broken: list[int]
    impossible: list[int]


def _alone(problem: Problem, r: int, options: SolveOptions):
    return build_model(
        replace(problem, residents=(problem.residents[r],)),
        weights=options.weights,
        change_penalty=options.change_penalty,
        context=Context(staffing="off", fairness=False),
    )


def examine(problem: Problem, grid, options: SolveOptions, decide: bool = True) -> Examined:
    """Score every resident's row; find rows that break the resident's own hard rules.

    Scores and rule checks are plain Python (``objective.resident_cost`` and
    ``hard_rules.resident_violations``): milliseconds for a whole program. A broken row
    whose resident cannot meet their own rules at all (staffing ignored) makes the whole
    program infeasible: that resident is listed in ``impossible`` (a one-resident CP-SAT
    model decides, only for broken rows, and only when ``decide``: before the rows are
    repaired the question is premature).
    """
    from scheduling.hard_rules import resident_violations  # hard_rules imports the solver

    out = Examined([], [], [])
    for r, res in enumerate(problem.residents):
        phases = problem.phases_of(res)
        out.costs.append(
            resident_cost(problem, r, grid[r], phases, options.weights, options.change_penalty)
        )
        if not resident_violations(problem, res, grid[r]):
            continue
        out.broken.append(r)
        if not decide:
            continue
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 5.0
        if solver.solve(_alone(problem, r, options).model) == cp_model.INFEASIBLE:
            out.impossible.append(r)
    return out


def alone_bound(problem: Problem, r: int, options: SolveOptions, seconds: float = 1.0) -> int:
    """The best objective resident ``r`` could reach alone (their own terms, no staffing).

    No schedule gives them less, so the sum over residents bounds the whole objective from
    below (fairness and staffing only add non-negative terms).
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    if options.deterministic:
        solver.parameters.max_deterministic_time = seconds
    else:
        solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(_alone(problem, r, options).model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    return max(0, math.ceil(solver.best_objective_bound - 1e-6))
