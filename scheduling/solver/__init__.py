"""Pure-Python schedule solver for X+Y residency programs (OR-Tools CP-SAT, no ORM).

Typical use::

    problem = problem_from_bundle(bundle)
    result = solve(problem, SolveOptions(time_limit_s=30))
    export = schedule_export(bundle, problem.year_name, result)
"""

from scheduling.solver.explain import conflicting_rules, explain
from scheduling.solver.export import schedule_export
from scheduling.solver.from_bundle import problem_from_bundle
from scheduling.solver.model import build_model
from scheduling.solver.precheck import precheck
from scheduling.solver.problem import (
    ObjectiveWeights,
    Problem,
    RequirementSpec,
    ResidentSpec,
    RotationSpec,
    SolveOptions,
    SolveResult,
    StaffingSpec,
    TrackSpec,
)
from scheduling.solver.solve import solve

__all__ = [
    "ObjectiveWeights",
    "Problem",
    "RequirementSpec",
    "ResidentSpec",
    "RotationSpec",
    "SolveOptions",
    "SolveResult",
    "StaffingSpec",
    "TrackSpec",
    "build_model",
    "conflicting_rules",
    "explain",
    "precheck",
    "problem_from_bundle",
    "schedule_export",
    "solve",
]
