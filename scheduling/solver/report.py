"""Plain figures about a built schedule: the weight of unmet wishes, and fairness per class.

Pure functions of a ``Problem`` (residents with cohorts) and the assignments of a
``SolveResult`` (``{resident_id: [rotation or None per week]}``); ``build_schedule`` prints
them and the benchmark reports the wish loss of both engines.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.solver.objective import fairness_kinds
from scheduling.solver.problem import Problem, ResidentSpec
from scheduling.xy import holiday_weeks


def _allowed(problem: Problem, res: ResidentSpec, week: int, phase: str, code: str) -> bool:
    rot = problem.rotation_map.get(code)
    if rot is None or week in res.leave_weeks or rot.phase not in ("any", phase):
        return False
    pinned = problem.fixed.get((res.id, week))
    if pinned is not None:
        return pinned == code
    return rot.is_vacation if week in res.vacation_weeks else True


def unmet_wishes(
    problem: Problem, res: ResidentSpec, row, prefer_weeks: int = 2
) -> list[tuple[str, str, int, int]]:
    """The resident's wishes not met by ``row``: ``(kind, rotation, weeks unmet, weight)``.

    A prefer wish asks for ``prefer_weeks`` weeks on the rotation (fewer if fewer weeks
    allow it); an avoid wish is unmet for each avoided week spent on the rotation.
    """
    out = []
    phases = problem.phases_of(res)
    for code, weight in res.prefers:
        room = sum(1 for w in range(problem.weeks) if _allowed(problem, res, w, phases[w], code))
        short = min(prefer_weeks, room) - sum(1 for k in row if k == code)
        if short > 0:
            out.append(("prefer", code, short, weight))
    for code, weeks, weight in res.avoids:
        hits = sum(1 for w in weeks if w < len(row) and row[w] == code)
        if hits:
            out.append(("avoid", code, hits, weight))
    return out


def wish_loss(problem: Problem, assignments, prefer_weeks: int = 2) -> int:
    """The weight of unmet wishes: sum of weight x weeks unmet over every wish."""
    return sum(
        weeks * weight
        for res in problem.residents
        for _, _, weeks, weight in unmet_wishes(
            problem, res, assignments.get(res.id, []), prefer_weeks
        )
    )


@dataclass(frozen=True)
class ClassFairness:
    """One class (track x PGY): per measure, the fewest and most weeks (or wishes) a member
    got; ``members`` counts residents without leave (a lighter year is not unfair)."""

    track: str
    pgy: int
    members: int
    spread: dict[str, tuple[int, int]]

    def line(self) -> str:
        parts = [f"{name} {lo}-{hi}" for name, (lo, hi) in self.spread.items()]
        return f"{self.track} PGY-{self.pgy} ({self.members}): " + ", ".join(parts)


#: the measures of ``resident_figures``, in the order pages show them
MEASURES = ("nights", "critical care", "holiday weeks worked", "wishes granted")


def resident_figures(
    problem: Problem, assignments, prefer_weeks: int = 2, holidays: list[int] | None = None
) -> dict[str, dict[str, int]]:
    """Per resident with a row: weeks of nights, of critical care, holiday weeks worked
    (not on vacation), wishes (their number) and wishes granted (fully met).

    ``holidays`` are the weeks counted as holiday weeks (default: those with 24 and 31
    December, when the problem knows its start date).
    """
    kinds = fairness_kinds(problem.rotations)
    if holidays is None:
        holidays = holiday_weeks(problem.year_start, problem.weeks)
    vacation = {r.code for r in problem.rotations if r.is_vacation}
    out = {}
    for res in problem.residents:
        row = assignments.get(res.id)
        if row is None:
            continue
        wishes = len(res.prefers) + len(res.avoids)
        unmet = len(unmet_wishes(problem, res, row, prefer_weeks))
        out[res.id] = {
            "nights": sum(1 for k in row if k in kinds["nights"]),
            "critical care": sum(1 for k in row if k in kinds["critical care"]),
            "holiday weeks worked": sum(
                1 for w in holidays if w < len(row) and row[w] not in (None, *vacation)
            ),
            "wishes": wishes,
            "wishes granted": wishes - unmet,
        }
    return out


def fairness(
    problem: Problem, assignments, prefer_weeks: int = 2, holidays: list[int] | None = None
) -> list[ClassFairness]:
    """Per (track, PGY) class: the range of nights, critical care and holiday weeks worked,
    and of wishes granted (share of a member's wishes fully met, in %), over the members
    without leave (``resident_figures``)."""
    figures = resident_figures(problem, assignments, prefer_weeks, holidays)
    classes: dict[tuple[str, int], list[dict[str, int]]] = {}
    for res in problem.residents:
        if res.id in figures and not res.leave_weeks:
            classes.setdefault((res.track, res.pgy), []).append(figures[res.id])
    out = []
    for (track, pgy), members in sorted(classes.items()):
        spread = {}
        for name in MEASURES[:3]:
            values = [m[name] for m in members]
            spread[name] = (min(values), max(values))
        shares = [round(100 * m["wishes granted"] / m["wishes"]) for m in members if m["wishes"]]
        if shares:
            spread["wishes granted %"] = (min(shares), max(shares))
        out.append(ClassFairness(track, pgy, len(members), spread))
    return out
