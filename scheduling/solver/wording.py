"""What a build's outcome means, in words a program director understands.

One pure function, ``verdict``, used by ``build_schedule``, the benchmark and the grid
header, so they all say the same. The rules behind the words (issue 10, "honest
statuses"): *best possible* only when proven; a schedule that is not proven best says how
much better one could be (its gap); running out of time without a schedule is not a proof
that none exists, so it never says "infeasible"; only a proven infeasibility does.
"""

from __future__ import annotations

import math

from scheduling.solver.problem import SolveResult

#: gaps below this are shown as "less than 0.1%"
TINY_GAP = 0.001


def how_much_better(gap: float) -> str:
    """Return e.g. "3%", "0.4%" or "less than 0.1%" for a relative gap."""
    if gap < TINY_GAP:
        return "less than 0.1%"
    percent = 100 * gap
    if percent < 1:
        return f"{math.ceil(percent * 10) / 10:.1f}%"
    return f"{math.ceil(percent - 1e-9):d}%"


def verdict(
    status: str,
    *,
    gap: float | None = None,
    time_limit_s: float | None = None,
    has_schedule: bool | None = None,
    scope: str = "overall",
) -> str:
    """Return one sentence for a solver outcome.

    ``status`` is a ``SolveResult`` status (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN,
    CANCELLED, MODEL_INVALID); ``gap`` the relative gap of a schedule that is not proven
    best (None: no bound known); ``scope`` "cohorts" when optimality was proven only for
    the cohorts the builder chose, "overall" otherwise.
    """
    limit = f"{time_limit_s:g} s" if time_limit_s is not None else "the time limit"
    if status == "OPTIMAL":
        if scope == "cohorts":
            return "Best possible schedule for the cohorts the builder chose."
        return "Best possible schedule found."
    if status == "FEASIBLE":
        if gap is None:
            return "A schedule that meets every rule; how close it is to the best is unknown."
        if gap <= 0:
            return "Best possible schedule found."
        if gap >= 0.5:
            return (
                f"A schedule that meets every rule, but a better one may exist (up to "
                f"{how_much_better(gap)} better) — try a longer limit."
            )
        return f"Good schedule; could be up to {how_much_better(gap)} better."
    if status == "INFEASIBLE":
        return "No schedule can meet every rule: these rules conflict."
    if status == "CANCELLED":
        if has_schedule:
            return "Stopped early; the best schedule found so far is kept."
        return "Stopped before a schedule was found."
    if status == "MODEL_INVALID":
        return "The program's X+Y template is not usable; fix it and build again."
    return f"No schedule found in {limit} — try a longer limit."


def describe(result: SolveResult, time_limit_s: float | None = None) -> str:
    """``verdict`` for a ``SolveResult``."""
    return verdict(
        result.status,
        gap=result.gap,
        time_limit_s=time_limit_s,
        has_schedule=bool(result.assignments),
        scope=result.bound_scope,
    )


def cohorts_sentence(result: SolveResult) -> str:
    """Whether the builder chose the cohorts, and what its proof covers (issue 10, "cohorts
    as a decision"); empty when the program fixed every cohort or there is no schedule."""
    if not result.cohorts_chosen or not result.assignments:
        return ""
    said = "The builder chose the cohorts the program left open"
    if result.bound_scope == "cohorts":
        if result.status == "OPTIMAL":
            return f"{said}; optimality is proven for these cohorts, not for every choice."
        return f"{said}; the bound and the gap hold for these cohorts, not for every choice."
    if result.status == "OPTIMAL":
        return f"{said}; optimality is proven overall (no choice of cohorts can do better)."
    return f"{said}; the gap holds overall, for every choice of cohorts."
