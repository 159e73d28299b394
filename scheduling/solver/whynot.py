"""'Why didn't I get my wish?' - try the schedule with the wish granted and say what it costs.

For one resident's unmet wish, ``why_not`` solves the full model again with that wish made a
rule (a prefer wish: its weeks on the rotation; an avoid wish: never on it in those weeks),
started from the current schedule, within a short time limit. The answer, in words:

- it can be granted, at a cost: the objective rises by so much, and these other residents
  would lose these wishes (or the schedule gets less fair or changes rotation more often);
- it cannot be granted: the rules that clash with it (``explain``, with the wish as one of
  the rule groups: "NF needs at least 1 PGY-1 each week", "requirement #3 ...");
- no schedule with it was found in the time given - not a proof either way.

Pure: a ``Problem`` (residents with the cohorts of the schedule) and assignments in, a
``WishAnswer`` out; a job or a page can run it with the time limit it can afford.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduling.solver.explain import explain
from scheduling.solver.full import configure
from scheduling.solver.model import ScheduleModel, build_model
from scheduling.solver.objective import schedule_cost
from scheduling.solver.problem import Problem, SolveOptions
from scheduling.solver.report import unmet_wishes


@dataclass
class WishAnswer:
    """``possible``: True (a schedule grants it), False (proven impossible), None (unknown)."""

    possible: bool | None
    words: list[str] = field(default_factory=list)
    extra_cost: float | None = None
    assignments: dict[str, list[str | None]] = field(default_factory=dict)


def wishes_of(problem: Problem, resident_id: str) -> list[tuple]:
    """The resident's wishes, numbered as ``why_not`` takes them: prefers, then avoids."""
    res = next(r for r in problem.residents if r.id == resident_id)
    return [("prefer", k, w) for k, w in res.prefers] + [
        ("avoid", k, weeks, w) for k, weeks, w in res.avoids
    ]


def describe_wish(wish: tuple) -> str:
    if wish[0] == "prefer":
        return f"to have {wish[1]} (weight {wish[2]})"
    return f"to avoid {wish[1]} in {len(wish[2])} week(s) (weight {wish[3]})"


def why_not(
    problem: Problem,
    assignments: dict[str, list[str | None]],
    resident_id: str,
    wish_index: int,
    options: SolveOptions | None = None,
) -> WishAnswer:
    """Answer for wish ``wish_index`` (see ``wishes_of``) of ``resident_id``."""
    options = options or SolveOptions(time_limit_s=10)
    problem = problem.with_cohorts()
    r = next(i for i, res in enumerate(problem.residents) if res.id == resident_id)
    res, wish = problem.residents[r], wishes_of(problem, resident_id)[wish_index]
    who, what = res.label, describe_wish(wish)
    if not _unmet(problem, res, assignments, wish, options):
        return WishAnswer(True, [f"{who}'s wish {what} is already granted."], 0.0)
    wt, grid = options.weights, [assignments[p.id] for p in problem.residents]
    before = schedule_cost(problem, grid, wt, options.change_penalty)

    def force(sm: ScheduleModel) -> None:
        text = f"the wish of {who} {what}"
        if wish[0] == "prefer":
            have = [v for w in range(problem.weeks) if (v := sm.var(r, w, wish[1])) is not None]
            sm.linear(have, min(wt.prefer_weeks, len(have)), len(have), "wish", text)
        else:
            for w in wish[2]:
                if (v := sm.var(r, w, wish[1])) is not None:
                    sm.clause([v.negated()], "wish", text)

    sm = build_model(problem, weights=wt, change_penalty=options.change_penalty)
    force(sm)
    sm.hint(grid)
    solver = cp_model.CpSolver()
    configure(solver, replace(options, relative_gap_limit=0.0), options.time_limit_s)
    code = solver.solve(sm.model)
    if code == cp_model.INFEASIBLE:
        reasons = explain(problem, time_limit_s=options.explain_time_limit_s, extra=force)
        lines = [line for line in reasons[1:] if not line.lower().startswith("the wish")]
        return WishAnswer(False, [f"{who}'s wish {what} cannot be granted:", *lines])
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return WishAnswer(
            None,
            [
                f"No schedule granting {who}'s wish {what} was found in "
                f"{options.time_limit_s:g} s — try a longer limit."
            ],
        )
    rows = sm.assignments(solver.boolean_value)
    after = schedule_cost(problem, [rows[p.id] for p in problem.residents], wt)
    if after > before:
        cost = f"costs {after - before:g} more ({before:g} -> {after:g}, lower is better)"
    elif after == before:
        cost = f"costs nothing more (still {after:g})"
    else:
        cost = (
            f"is even better overall ({before:g} -> {after:g}): the current schedule was "
            "not the best possible; building again with a longer limit may grant it"
        )
    words = [f"{who}'s wish {what} can be granted; the best schedule found with it {cost}."]
    words += _losses(problem, assignments, rows, resident_id, wt.prefer_weeks)
    return WishAnswer(True, words, float(after - before), rows)


def _unmet(problem, res, assignments, wish, options) -> bool:
    unmet = unmet_wishes(problem, res, assignments[res.id], options.weights.prefer_weeks)
    return any(kind == wish[0] and code == wish[1] for kind, code, _, _ in unmet)


def _losses(problem, before, after, resident_id, prefer_weeks, show: int = 5) -> list[str]:
    """Other residents whose wishes the change would cost, heaviest first."""
    lost = []
    for res in problem.residents:
        if res.id == resident_id:
            continue
        old = {(k, c): n * wgt for k, c, n, wgt in unmet_wishes(problem, res, before[res.id])}
        new = unmet_wishes(problem, res, after[res.id], prefer_weeks)
        for kind, code, weeks, weight in new:
            worse = weeks * weight - old.get((kind, code), 0)
            if worse > 0:
                lost.append((worse, res.label, kind, code, weight))
    if not lost:
        return ["No other resident would lose a wish; the rest is fairness or continuity."]
    lost.sort(key=lambda item: (-item[0], item[1]))
    lines = [
        f"{label} would lose {'time on' if kind == 'prefer' else 'their wish to avoid'} "
        f"{code} (weight {weight})."
        for _, label, kind, code, weight in lost[:show]
    ]
    if len(lost) > show:
        lines.append(f"... and {len(lost) - show} more wishes of other residents.")
    return lines
