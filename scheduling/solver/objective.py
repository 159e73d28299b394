"""The soft goals of the schedule, as a weighted CP-SAT objective (0 = a perfect schedule).

Terms (weights in ``ObjectiveWeights``): missed "prefer" wishes, granted "avoid" weeks,
weeks of nights / critical care / inpatient electives outside a (track, PGY) class's fair
band, rotation changes the scheduler chose, and - when re-solving with hints - changed
cells.
Every auxiliary variable is registered with a rule to compute it from the cells, so a
schedule given as a hint can be completed into a full hint (see ``ScheduleModel.hint``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduling.solver.problem import ObjectiveWeights
from scheduling.xy import phase_blocks

if TYPE_CHECKING:
    from scheduling.solver.model import ScheduleModel

NIGHT_WORDS = ("night", "nf")


def is_night(code: str, name: str) -> bool:
    """Heuristic for night rotations: the bundle has no flag, so read code and name."""
    return code.lower() in NIGHT_WORDS or "night" in name.lower()


def fairness_kinds(rotations) -> dict[str, list[str]]:
    """Rotation codes per fairness kind: nights, critical care, inpatient electives."""
    return {
        "nights": [r.code for r in rotations if is_night(r.code, r.name)],
        "critical care": [r.code for r in rotations if r.setting == "critical_care"],
        "electives": [r.code for r in rotations if r.setting == "elective_inpatient"],
    }


def _value(lit, values: dict[int, int]) -> int:
    i = lit.index
    return values[i] if i >= 0 else 1 - values[-i - 1]


def add_objective(sm: ScheduleModel, all_phases, wt: ObjectiveWeights, change_penalty: int):
    """Add the weighted soft goals to ``sm`` and minimise them."""
    p, m = sm.problem, sm.model
    terms: list = []
    index = {res.id: r for r, res in enumerate(p.residents)}
    hinted: dict[int, list[tuple[int, str]]] = {}
    if change_penalty:
        for (rid, w), code in p.hints.items():
            if rid in index and w < p.weeks:
                hinted.setdefault(index[rid], []).append((w, code))
    for r, res in enumerate(p.residents):
        mine = sm.local_terms.setdefault(r, [])
        for code, weight in res.prefers:
            have = [v for w in range(p.weeks) if (v := sm.var(r, w, code)) is not None]
            want = min(wt.prefer_weeks, len(have))
            if wt.prefer and want:
                short = m.new_int_var(0, want, f"short_{res.id}_{code}")
                m.add(short >= want - cp_model.LinearExpr.sum(have))
                sm.derived.append(
                    (short, lambda v, h=have, n=want: max(0, n - sum(v[x.index] for x in h)))
                )
                mine.append(wt.prefer * weight * short)
        for code, weeks, weight in res.avoids:
            hits = [v for w in weeks if (v := sm.var(r, w, code)) is not None]
            if wt.avoid and hits:
                mine.append(wt.avoid * weight * cp_model.LinearExpr.sum(hits))
        if wt.continuity:
            mine.extend(wt.continuity * c for c in _changes(sm, r, all_phases[r]))
        for w, code in hinted.get(r, ()):
            if sm.domains[r][w]:
                var = sm.var(r, w, code)
                mine.append(change_penalty * (1 - var) if var is not None else change_penalty)
        terms.extend(mine)
    if wt.fairness and sm.context.fairness:
        terms.extend(wt.fairness * e for e in _fairness(sm, wt.fairness_slack))
    terms.extend(sm.extra_terms)
    m.minimize(cp_model.LinearExpr.sum(terms) if terms else 0)


def segments(sm: ScheduleModel, r: int, phases) -> list[tuple[int, int]]:
    """Maximal stretches (two weeks or more) of same-phase weeks the scheduler fills.

    Weeks on leave, approved vacation or pinned cells are fixed by someone else, so changes
    into or out of them are not the scheduler's doing and are not counted.
    """
    res, p = sm.problem.residents[r], sm.problem
    fixed = set(res.leave_weeks) | set(res.vacation_weeks)
    fixed |= {w for w, _ in p.pins_by_resident.get(res.id, ())}
    marks = tuple("-" if w in fixed else ph for w, ph in enumerate(phases))
    return [(a, b) for a, b in phase_blocks(marks) if marks[a] != "-" and b > a]


def _changes(sm: ScheduleModel, r: int, phases):
    """Yield, per pair of consecutive weeks of a segment, a boolean set on a counted change.

    A change next to a run that reaches a rotation's max_consecutive_weeks is forced by that
    rule (such a run has to start and end inside a longer segment), so it is not counted:
    a block of "night, night, elective" costs nothing, "night, elective, night" costs two.
    Far from a sub-model's active weeks, only frozen cells remain: their changes are
    counted here in Python (``counted_changes``) and yielded as one constant.
    """
    m, rots, ctx = sm.model, sm.problem.rotation_map, sm.context
    margin = max([rot.max_consecutive_weeks or 0 for rot in rots.values()]) + 1
    res = sm.problem.residents[r]
    if ctx.active is not None:
        row = [ctx.frozen.get((res.id, w)) for w in range(sm.problem.weeks)]
        far = [
            w
            for w in counted_changes(sm.problem, res, row, phases)
            if not ctx.near(w, w + 1, margin)
        ]
        if far:
            yield len(far)
    for first, last in segments(sm, r, phases):
        full: dict[tuple[int, str], cp_model.IntVar] = {}
        for k, rot in rots.items():
            mc = rot.max_consecutive_weeks
            if not mc or mc >= last - first + 1:
                continue
            for end in range(first + mc - 1, last + 1):
                if not ctx.near(end - mc + 1, end, margin + 1):
                    continue
                run = [sm.var(r, w, k) for w in range(end - mc + 1, end + 1)]
                if all(v is not None for v in run):
                    f = full[(end, k)] = m.new_bool_var(f"full_{r}_{end}_{k}")
                    for v in run:
                        m.add_implication(f, v)
                    sm.derived.append((f, lambda vals, run=run: all(vals[v.index] for v in run)))
        for w in range(first, last):
            if not ctx.near(w, w + 1, margin):
                continue
            c = m.new_bool_var(f"chg_{r}_{w}")
            starts = [f for (end, k), f in full.items() if end - rots[k].max_consecutive_weeks == w]
            clauses = []
            for k in sm.domains[r][w]:
                nxt = sm.var(r, w + 1, k)
                lits = [sm.x[(r, w, k)].negated()] + ([nxt] if nxt is not None else [])
                lits += starts + ([full[(w, k)]] if (w, k) in full else [])
                m.add_bool_or([*lits, c])
                clauses.append(lits)
            sm.derived.append(
                (c, lambda v, cl=clauses: any(all(not _value(x, v) for x in lits) for lits in cl))
            )
            yield c


def counted_changes(problem, res, row, phases) -> list[int]:
    """Weeks ``w`` where the change from ``row[w]`` to ``row[w + 1]`` counts (see ``_changes``).

    ``row`` holds a rotation code (or None) per week; unknown cells never count.
    """
    rots = problem.rotation_map
    fixed = set(res.leave_weeks) | set(res.vacation_weeks)
    fixed |= {w for w, _ in problem.pins_by_resident.get(res.id, ())}
    marks = ["-" if w in fixed else ph for w, ph in enumerate(phases)]
    out = []
    for first, last in phase_blocks(marks):
        if marks[first] == "-" or last == first:
            continue

        def full(a: int, b: int, k: str | None, first=first, last=last) -> bool:
            mc = rots[k].max_consecutive_weeks if k in rots else None
            return bool(
                mc
                and mc < last - first + 1
                and b - a + 1 == mc
                and first <= a
                and b <= last
                and all(row[t] == k for t in range(a, b + 1))
            )

        for w in range(first, last):
            k, nxt = row[w], row[w + 1]
            if k is None or nxt is None or k == nxt:
                continue
            mc_k = rots[k].max_consecutive_weeks or 0
            mc_n = rots[nxt].max_consecutive_weeks or 0
            if full(w - mc_k + 1, w, k) or full(w + 1, w + mc_n, nxt):
                continue
            out.append(w)
    return out


def band_cost(loads, low: int, slack: int) -> int:
    """Weeks by which ``loads`` fall outside the band [low, low + slack]."""
    return sum(max(0, n - low - slack) + max(0, low - n) for n in loads)


def fairness_cost(loads, slack: int) -> tuple[int, int]:
    """The fair band's cost and start: the band of ``slack`` + 1 weeks that fits best."""
    if not loads:
        return 0, 0
    return min((band_cost(loads, low, slack), low) for low in range(min(loads), max(loads) + 1))


def _fairness(sm: ScheduleModel, slack: int):
    """Per (track, PGY) class and fairness kind (nights, critical care, electives): the
    weeks by which members sit outside the class's fair band, the best band of
    ``slack`` + 1 weeks (a spread within it is fair; each week beyond it costs).

    Unlike max - min, every week moved towards the band counts, so small neighbourhoods
    can make progress in big classes. Residents with leave are left out (a lighter load is
    not unfair). In a sub-model the loads of the class's other members are constants: their
    cost for each band start is a table (``add_element``).
    """
    p, m, outside = sm.problem, sm.model, sm.context.fair_outside
    classes: dict[tuple[str, int], list[int]] = {}
    for r, res in enumerate(p.residents):
        if not res.leave_weeks:
            classes.setdefault((res.track, res.pgy), []).append(r)
    for (track, pgy), members in sorted(classes.items()):
        for kind, codes in fairness_kinds(p.rotations).items():
            others = tuple(outside.get((track, pgy, kind), ()))
            if len(members) + len(others) < 2:
                continue
            groups = [
                [v for w in range(p.weeks) for k in codes if (v := sm.var(r, w, k)) is not None]
                for r in members
            ]
            top = max([len(g) for g in groups] + list(others))
            if top == 0:
                continue
            name = f"{track}_{pgy}_{kind}"
            low = m.new_int_var(0, top, f"band_{name}")

            def loads(vals, gs=groups, others=others):
                return [sum(vals[v.index] for v in g) for g in gs] + list(others)

            sm.derived.append((low, lambda v, f=loads: fairness_cost(f(v), slack)[1]))
            for j, g in enumerate(groups):
                expr = cp_model.LinearExpr.sum(g) if g else 0
                dev = m.new_int_var(0, top, f"dev_{name}_{j}")
                m.add(dev >= expr - low - slack)
                m.add(dev >= low - expr)
                sm.derived.append(
                    (
                        dev,
                        lambda v, g=g, lo=low: band_cost(
                            [sum(v[x.index] for x in g)], v[lo.index], slack
                        ),
                    )
                )
                yield dev
            if others:
                table = [band_cost(others, start, slack) for start in range(top + 1)]
                rest = m.new_int_var(0, max(table), f"rest_{name}")
                m.add_element(low, table, rest)
                sm.derived.append((rest, lambda v, t=table, low=low: t[v[low.index]]))
                yield rest


def resident_cost(problem, r: int, row, phases, wt: ObjectiveWeights, change_penalty: int) -> int:
    """The resident's own objective terms for ``row``, computed in Python exactly as the
    model scores them: missed prefer weeks, granted avoid weeks, counted changes and - with
    ``change_penalty`` - hinted cells changed (fairness is a class term, not included)."""
    res = problem.residents[r]
    total = 0
    for code, weight in res.prefers:
        if wt.prefer:
            allowed = sum(
                1
                for w in range(problem.weeks)
                if w not in res.leave_weeks and _may(problem, res, w, phases[w], code)
            )
            have = sum(1 for k in row if k == code)
            total += wt.prefer * weight * max(0, min(wt.prefer_weeks, allowed) - have)
    for code, weeks, weight in res.avoids:
        total += wt.avoid * weight * sum(1 for w in weeks if row[w] == code)
    if wt.continuity:
        total += wt.continuity * len(counted_changes(problem, res, row, phases))
    if change_penalty:
        for (rid, w), code in problem.hints.items():
            if rid == res.id and w < problem.weeks and w not in res.leave_weeks:
                total += change_penalty * (row[w] != code)
    return total


def _may(problem, res, week: int, phase: str, code: str) -> bool:
    """Whether ``code`` is in the resident-week's domain (``model.week_domain``)."""
    rot = problem.rotation_map.get(code)
    if rot is None or rot.phase not in ("any", phase):
        return False
    pinned = problem.fixed.get((res.id, week))
    if pinned is not None:
        return pinned == code
    return rot.is_vacation if week in res.vacation_weeks else True


def schedule_cost(problem, grid, wt: ObjectiveWeights, change_penalty: int = 0) -> int:
    """The whole objective of ``grid`` (a row per resident), computed in Python.

    CP-SAT reports the value of its auxiliary variables, which may sit above what the
    cells cost until the search has pushed them down; this is what the cells cost.
    """
    total = 0
    loads: dict[tuple, list[int]] = {}
    kinds = fairness_kinds(problem.rotations)
    for r, res in enumerate(problem.residents):
        row = grid[r]
        total += resident_cost(problem, r, row, problem.phases_of(res), wt, change_penalty)
        if not res.leave_weeks:
            for kind, codes in kinds.items():
                loads.setdefault((res.track, res.pgy, kind), []).append(
                    sum(1 for k in row if k in codes)
                )
    if wt.fairness:
        total += wt.fairness * sum(
            fairness_cost(group, wt.fairness_slack)[0] for group in loads.values() if len(group) > 1
        )
    return total
