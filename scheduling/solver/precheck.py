"""Cheap arithmetic checks that explain an impossible program before any solve.

Each check is *sound*: it only reports a conflict that no schedule can get around, in words
a program director can act on ("ICU needs at least 6 PGY-1 residents in each of 52 weeks =
312 resident-weeks, but ... at most 216"). Counting is done on each resident-week's domain:
the rotations its phase allows, narrowed by approved vacation and pinned cells, none on leave.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduling.solver.model import week_domain
from scheduling.solver.problem import Problem, RequirementSpec, ResidentSpec, StaffingSpec
from scheduling.xy import week_start

SHOW = 4  # examples listed per kind of issue before "and N more"


@dataclass
class _Issues:
    """Collects messages by kind so that one cause repeated 300 times reads as one line."""

    items: dict[str, list[str]]

    def add(self, kind: str, message: str) -> None:
        self.items.setdefault(kind, []).append(message)

    def lines(self) -> list[str]:
        out = []
        for messages in self.items.values():
            out.extend(messages[:SHOW])
            if len(messages) > SHOW:
                out.append(f"... and {len(messages) - SHOW} more like this.")
        return out


def _when(problem: Problem, week: int) -> str:
    if problem.year_start is None:
        return f"week {week}"
    return f"the week of {week_start(problem.year_start, week).isoformat()}"


def _levels(pgy) -> str:
    return "PGY-" + "/".join(str(p) for p in sorted(pgy))


def _disjoint(reqs: list[RequirementSpec]) -> list[RequirementSpec]:
    """Greedily pick requirements with pairwise disjoint rotations, largest minimum first."""
    chosen, used = [], set()
    for q in sorted(reqs, key=lambda q: (-(q.min_weeks or 0), q.index)):
        if (q.min_weeks or 0) > 0 and not used & set(q.rotations):
            chosen.append(q)
            used |= set(q.rotations)
    return chosen


def precheck(problem: Problem) -> list[str]:
    """Return one sentence per impossibility found; an empty list means "no obvious conflict".

    The problem's residents must have cohorts (``Problem.with_cohorts``).
    """
    problem = problem.with_cohorts()
    issues = _Issues({})
    _check_data(problem, issues)
    domains = {
        res.id: [
            week_domain(problem, res, w, phase) for w, phase in enumerate(problem.phases_of(res))
        ]
        for res in problem.residents
    }
    for res in problem.residents:
        _check_resident(problem, res, domains[res.id], issues)
    _check_weeks(problem, domains, issues)
    _check_year(problem, domains, issues)
    return issues.lines()


def _check_data(problem: Problem, issues: _Issues) -> None:
    """Rules that contradict themselves, and codes that name nothing."""
    codes = set(problem.rotation_map)
    for q in problem.requirements:
        missing = [k for k in q.rotations if k not in codes]
        if missing and (q.min_weeks or 0) > 0 and len(missing) == len(q.rotations):
            issues.add("data", f"{q.describe()} names rotations the program does not have.")
        if q.min_weeks is not None and q.max_weeks is not None and q.min_weeks > q.max_weeks:
            issues.add("data", f"{q.describe()} has a minimum above its maximum.")
    for rot in problem.rotations:
        for spec in rot.staffing:
            if spec.max is not None and spec.min > spec.max:
                issues.add(
                    "data",
                    f"Staffing of {rot.code} for {_levels(spec.pgy)} has a minimum of {spec.min} "
                    f"above its maximum of {spec.max}.",
                )
    for phase in ("x", "y"):
        if not any(r.phase in (phase, "any") for r in problem.rotations):
            issues.add(
                "data",
                f"No rotation can be scheduled in {phase.upper()} weeks: every rotation has "
                f"the other phase, so those weeks cannot be filled.",
            )
    for (rid, week), code in sorted(problem.fixed.items()):
        if code not in codes:
            issues.add(
                "data",
                f"{rid} is pinned to {code} in {_when(problem, week)}, "
                "a rotation the program does not have.",
            )


def _check_resident(problem: Problem, res: ResidentSpec, domains, issues: _Issues) -> None:
    """Requests against the phase, and requirements and the band against available weeks."""
    rots = problem.rotation_map
    phases = problem.phases_of(res)
    leave = set(res.leave_weeks)
    for w in res.vacation_weeks:
        if w not in leave and not domains[w]:
            issues.add(
                "vacation",
                f"{res.label} has approved vacation in {_when(problem, w)}, "
                f"a {phases[w].upper()} week in which no vacation rotation is allowed.",
            )
    for (rid, w), code in sorted(problem.fixed.items()):
        if rid != res.id or w >= problem.weeks or code not in rots:
            continue
        if w in leave:
            issues.add(
                "pin",
                f"{res.label} is pinned to {code} in {_when(problem, w)}, "
                "a leave week (leave weeks have no assignment).",
            )
        elif not domains[w]:
            why = (
                "an approved vacation week"
                if w in res.vacation_weeks
                else (
                    f"a {phases[w].upper()} week, and {code} is a phase-{rots[code].phase} rotation"
                )
            )
            issues.add("pin", f"{res.label} is pinned to {code} in {_when(problem, w)}, {why}.")
    mine = [q for q in problem.requirements if q.applies_to(res)]
    for q in mine:
        avail = sum(1 for dom in domains if set(dom) & set(q.rotations))
        forced = sum(1 for dom in domains if dom and set(dom) <= set(q.rotations))
        if (q.min_weeks or 0) > avail:
            issues.add(
                f"req-avail:{q.index}",
                f"{res.label} cannot meet {q.describe()}: only "
                f"{avail} of their weeks allow those rotations (phase, vacation, leave).",
            )
        if q.max_weeks is not None and forced > q.max_weeks:
            issues.add(
                f"req-forced:{q.index}",
                f"{res.label} cannot meet {q.describe()}: "
                f"approved vacation and pinned weeks already put them there {forced} weeks.",
            )
    chosen = _disjoint(mine)
    if len(chosen) > 1:
        used = {k for q in chosen for k in q.rotations}
        need = sum(q.min_weeks or 0 for q in chosen)
        avail = sum(1 for dom in domains if set(dom) & used)
        if need > avail:
            names = "; ".join(q.describe() for q in chosen)
            issues.add(
                "req-sum",
                f"{res.label} needs {need} weeks for {names}, but only "
                f"{avail} of their weeks allow any of those rotations.",
            )
    _check_band(problem, res, domains, chosen, issues)


def _check_band(problem, res: ResidentSpec, domains, chosen, issues: _Issues) -> None:
    """Track band (share of ambulatory among non-vacation, non-leave weeks) can be reached."""
    track = problem.track_map.get(res.track)
    if track is None:
        return
    rots = problem.rotation_map

    def kind(code: str) -> str:
        rot = rots[code]
        return "a" if rot.is_ambulatory else "i" if rot.is_inpatient else "v"

    kinds = [{kind(k) for k in dom} for dom in domains if dom]
    n = len(kinds)
    possible = {c: sum(1 for s in kinds if c in s) for c in "aiv"}
    forced = {c: sum(1 for s in kinds if s == {c}) for c in "aiv"}
    needed = {
        c: max(
            forced[c],
            sum(
                q.min_weeks or 0
                for q in chosen
                if {kind(k) for k in q.rotations if k in rots} == {c}
            ),
        )
        for c in "aiv"
    }
    a_hi = min(possible["a"], n - needed["i"] - needed["v"])
    if a_hi + needed["i"] > 0 and a_hi < track.ambulatory_min * (a_hi + needed["i"]):
        share = a_hi / (a_hi + needed["i"])
        issues.add(
            f"band-min:{res.track}",
            f"{res.label} can reach at most {share:.0%} "
            f"ambulatory weeks ({a_hi} ambulatory against at least {needed['i']} "
            f"inpatient), below the {track.code} band minimum of "
            f"{track.ambulatory_min:.0%}.",
        )
    i_hi = min(possible["i"], n - needed["a"] - needed["v"])
    if needed["a"] + i_hi > 0 and needed["a"] > track.ambulatory_max * (needed["a"] + i_hi):
        share = needed["a"] / (needed["a"] + i_hi)
        issues.add(
            f"band-max:{res.track}",
            f"{res.label} has at least {share:.0%} ambulatory "
            f"weeks ({needed['a']} ambulatory against at most {i_hi} inpatient), above "
            f"the {track.code} band maximum of {track.ambulatory_max:.0%}.",
        )


def _week_demand(problem: Problem, pgy: frozenset[int]) -> list[tuple[str, StaffingSpec]]:
    """Staffing minima that only residents of ``pgy`` can fill, without double counting."""
    picked = []
    for rot in problem.rotations:
        taken: set[int] = set()
        for spec in sorted(rot.staffing, key=lambda s: -s.min):
            if spec.min > 0 and set(spec.pgy) <= pgy and not taken & set(spec.pgy):
                picked.append((rot.code, spec))
                taken |= set(spec.pgy)
    return picked


def _check_weeks(problem: Problem, domains, issues: _Issues) -> None:
    """Each week: staffing minima against residents who can be there, maxima against pins."""
    people = problem.residents
    level_sets = {frozenset(s.pgy) for rot in problem.rotations for s in rot.staffing}
    level_sets |= {frozenset([r.pgy]) for r in people} | {frozenset(r.pgy for r in people)}
    short: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for w in range(problem.weeks):
        for rot in problem.rotations:
            for spec in rot.staffing:
                group = [r for r in people if r.pgy in spec.pgy]
                can = sum(1 for r in group if rot.code in domains[r.id][w])
                must = sum(1 for r in group if domains[r.id][w] == (rot.code,))
                if can < spec.min:
                    short[("min", rot.code, spec)].append((w, can))
                if spec.max is not None and must > spec.max:
                    short[("max", rot.code, spec)].append((w, must))
        for levels in sorted(level_sets, key=sorted):
            demand = _week_demand(problem, levels)
            if len(demand) < 2:
                continue
            codes = {code for code, _ in demand}
            need = sum(spec.min for _, spec in demand)
            can = sum(1 for r in people if r.pgy in levels and set(domains[r.id][w]) & codes)
            if can < need:
                short[("sum", tuple(sorted(codes)), levels, need)].append((w, can))
    for key, weeks in short.items():
        when = ", ".join(_when(problem, w) for w, _ in weeks[:3])
        more = f" and {len(weeks) - 3} more weeks" if len(weeks) > 3 else ""
        worst = min(n for _, n in weeks) if key[0] != "max" else max(n for _, n in weeks)
        if key[0] == "min":
            _, code, spec = key
            issues.add(
                "week-min",
                f"{code} needs at least {spec.min} {_levels(spec.pgy)} residents "
                f"every week, but in {when}{more} only {worst} can be on it (the others "
                "are in their Y phase, on leave, on vacation or pinned elsewhere).",
            )
        elif key[0] == "max":
            _, code, spec = key
            issues.add(
                "week-max",
                f"{code} takes at most {spec.max} {_levels(spec.pgy)} residents a "
                f"week, but in {when}{more} {worst} are already held there by approved "
                "vacation or pinned weeks.",
            )
        else:
            _, codes, levels, need = key
            issues.add(
                "week-sum",
                f"{', '.join(codes)} together need at least {need} "
                f"{_levels(levels)} residents every week, but in {when}{more} only "
                f"{worst} of them can work on those rotations.",
            )


def _check_year(problem: Problem, domains, issues: _Issues) -> None:
    """Over the year: staffing minima against requirement maxima, and the reverse."""
    weeks = problem.weeks
    for rot in problem.rotations:
        for spec in rot.staffing:
            group = [r for r in problem.residents if r.pgy in spec.pgy]
            caps = []
            for r in group:
                cap = sum(1 for dom in domains[r.id] if rot.code in dom)
                for q in problem.requirements:
                    if q.applies_to(r) and rot.code in q.rotations and q.max_weeks is not None:
                        cap = min(cap, q.max_weeks)
                caps.append(cap)
            demand, supply = spec.min * weeks, sum(caps)
            if demand > supply:
                issues.add(
                    "year",
                    f"{rot.code} needs at least {spec.min} {_levels(spec.pgy)} "
                    f"residents in each of {weeks} weeks = {demand} resident-weeks, but "
                    f"the requirements and calendars of its {len(group)} "
                    f"{_levels(spec.pgy)} residents allow at most {supply}.",
                )
            if spec.max is None:
                continue
            need = 0
            for r in group:
                single = [
                    q.min_weeks or 0
                    for q in problem.requirements
                    if q.applies_to(r) and tuple(q.rotations) == (rot.code,)
                ]
                need += max(single, default=0)
            room = sum(
                min(spec.max, sum(1 for r in group if rot.code in domains[r.id][w]))
                for w in range(weeks)
            )
            if need > room:
                issues.add(
                    "year",
                    f"{rot.code} takes at most {spec.max} {_levels(spec.pgy)} "
                    f"residents a week = at most {room} resident-weeks this year, but the "
                    f"requirements on {rot.code} need {need} for its "
                    f"{len(group)} {_levels(spec.pgy)} residents.",
                )
