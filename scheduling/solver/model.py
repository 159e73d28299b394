"""Build the CP-SAT model of one academic year's schedule.

One boolean per (resident, week, rotation) the resident may take that week; the hard rules
of spec/program-bundle.md become constraints, the soft goals an integer objective. In
*guarded* mode (used by ``explain``) every hard rule group is switched on by its own
assumption literal, so an infeasible program can be narrowed to the rules that clash. A
``Context`` turns the model into a sub-model of a bigger schedule (``lns``): other
residents' staffing becomes an offset, weeks outside a window are frozen, and cells with a
single possible rotation share one constant instead of a variable each.

Min-run interpretation (spec, "Rotations"; tests/support/schedule_checker.py reads it the
same way without sharing code): a run of an ``x`` or ``y`` rotation is counted inside one
phase block (a maximal stretch of weeks of the same phase for that resident), so a run that
ends because the resident's phase flips is *not* exempt: the stint must fit in the block. A
run of an ``any`` rotation is not ended by a phase flip: it is counted over the whole year.
Only runs that touch week 0 or the last week of the year, or that sit next to a leave week,
are exempt. Max-consecutive counts real consecutive weeks; leave breaks a run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from scheduling.solver.objective import add_objective
from scheduling.solver.problem import ObjectiveWeights, Problem, ResidentSpec
from scheduling.xy import phase_blocks


@dataclass(frozen=True)
class Context:
    """How a sub-model of some residents sees the rest of the schedule (used by ``lns``).

    ``staffing`` is "hard" (the full model), "soft" (shortfalls and excesses cost
    ``slack_cost`` each) or "off"; ``staff_offset`` counts residents outside the sub-model
    per (rotation, staffing index, week); ``fair_outside`` lists the weeks of each fairness
    kind of the outside members of a (track, PGY) class; ``frozen`` holds
    cells fixed in this sub-model only (unlike pins, they do not cut continuity segments).
    """

    staffing: str = "hard"
    staff_offset: Mapping[tuple[str, int, int], int] = field(default_factory=dict)
    fairness: bool = True
    fair_outside: Mapping[tuple[str, int, str], tuple[int, ...]] = field(default_factory=dict)
    frozen: Mapping[tuple[str, int], str] = field(default_factory=dict)
    slack_cost: int = 1000
    active: range | None = None  # weeks that are not frozen; None: all

    def near(self, first: int, last: int, margin: int) -> bool:
        """Whether weeks first..last come within ``margin`` weeks of the active ones.

        Rules on weeks further away only see frozen cells, which already satisfy them, and
        staffing there only adds a constant, so sub-models skip them.
        """
        a = self.active
        return a is None or (last >= a.start - margin and first < a.stop + margin)


@dataclass
class RuleGroup:
    """A hard rule group, the unit that explanations name."""

    key: str
    text: str
    literal: cp_model.IntVar | None = None


@dataclass
class ScheduleModel:
    """The CP-SAT model plus the maps needed to read a solution back."""

    problem: Problem
    model: cp_model.CpModel
    x: dict[tuple[int, int, str], cp_model.IntVar] = field(default_factory=dict)
    domains: list[list[tuple[str, ...]]] = field(default_factory=list)
    groups: dict[str, RuleGroup] = field(default_factory=dict)
    guarded: bool = False
    context: Context = field(default_factory=Context)
    true: cp_model.IntVar | None = None  # the constant shared by all fixed cells
    #: objective terms added by hard-rule builders (soft staffing slack)
    extra_terms: list = field(default_factory=list)
    #: objective terms that belong to one resident (wishes, continuity, changes)
    local_terms: dict[int, list] = field(default_factory=dict)
    #: auxiliary variables and how to compute each from earlier values, for complete hints
    derived: list[tuple[cp_model.IntVar, Callable[[dict[int, int]], int]]] = field(
        default_factory=list
    )

    @property
    def num_variables(self) -> int:
        return len(self.model.proto.variables)

    def var(self, r: int, w: int, code: str) -> cp_model.IntVar | None:
        return self.x.get((r, w, code))

    def group(self, key: str, text: str) -> list[cp_model.IntVar]:
        """Return the enforcement literals of a rule group (none unless guarded)."""
        if key not in self.groups:
            lit = self.model.new_bool_var(f"rule:{key}") if self.guarded else None
            self.groups[key] = RuleGroup(key, text, lit)
        lit = self.groups[key].literal
        return [] if lit is None else [lit]

    def linear(self, terms, lo: int, hi: int, key: str, text: str) -> None:
        """Add lo <= sum(terms) <= hi as part of rule group ``key``."""
        expr = cp_model.LinearExpr.sum(list(terms)) if terms else 0
        ct = self.model.add_linear_constraint(expr, lo, hi)
        ct.only_enforce_if(self.group(key, text))

    def clause(self, literals, key: str, text: str) -> None:
        """Add the clause OR(literals) as part of rule group ``key``."""
        enforce = self.group(key, text)
        self.model.add_bool_or(list(literals) + [lit.negated() for lit in enforce])

    def hint(self, grid: list[list[str | None]]) -> int:
        """Hint every variable: cells from ``grid`` (rotation per resident per week), the
        auxiliary objective variables computed from them. Complete hints help CP-SAT most.

        Returns the objective value of the hinted schedule.
        """
        self.model.clear_hints()
        values: dict[int, int] = {self.true.index: 1}
        for (r, w, k), var in self.x.items():
            if var is not self.true:
                values[var.index] = int(grid[r][w] == k)
                self.model.add_hint(var, values[var.index])
        for var, compute in self.derived:
            values[var.index] = int(compute(values))
            self.model.add_hint(var, values[var.index])
        objective = self.model.proto.objective
        return int(
            sum(c * values.get(i, 0) for i, c in zip(objective.vars, objective.coeffs, strict=True))
            + objective.offset
        )

    def assignments(self, value) -> dict[str, list[str | None]]:
        """Read the grid back: ``value(var) -> bool`` decides each cell."""
        grid: dict[str, list[str | None]] = {}
        for r, resident in enumerate(self.problem.residents):
            row: list[str | None] = []
            for w, domain in enumerate(self.domains[r]):
                row.append(next((k for k in domain if value(self.x[(r, w, k)])), None))
            grid[resident.id] = row
        return grid


def week_domain(
    problem: Problem,
    resident: ResidentSpec,
    week: int,
    phase: str,
    guarded: bool = False,
    frozen: Mapping[tuple[str, int], str] | None = None,
) -> tuple[str, ...]:
    """Rotations the resident may take that week (empty on leave).

    Phase rule: a rotation with phase x only in X weeks, y only in Y weeks, any anywhere.
    Unless guarded, approved vacation keeps only vacation rotations and a pinned cell only
    its rotation (guarded mode states both as constraints that explanations can name).
    """
    if week in resident.leave_weeks:
        return ()
    allowed = tuple(r.code for r in problem.rotations if r.phase in ("any", phase))
    if guarded:
        return allowed
    pinned = problem.fixed.get((resident.id, week)) or (frozen or {}).get((resident.id, week))
    if pinned is not None:
        return tuple(k for k in allowed if k == pinned)
    if week in resident.vacation_weeks:
        return tuple(k for k in allowed if problem.rotation(k).is_vacation)
    return allowed


def build_model(
    problem: Problem,
    *,
    weights: ObjectiveWeights | None = None,
    change_penalty: int = 0,
    guarded: bool = False,
    context: Context | None = None,
) -> ScheduleModel:
    """Return the model of ``problem`` (whose residents all have cohorts).

    Guarded models have no objective: they only answer "which rules clash". ``context``
    turns the model into a sub-model of a bigger schedule (see ``Context``).
    """
    ctx = context or Context()
    sm = ScheduleModel(problem=problem, model=cp_model.CpModel(), guarded=guarded, context=ctx)
    m = sm.model
    sm.true = m.new_bool_var("true")
    m.add(sm.true == 1)
    all_phases = [problem.phases_of(res) for res in problem.residents]
    for r, res in enumerate(problem.residents):
        row = []
        for w in range(problem.weeks):
            dom = week_domain(problem, res, w, all_phases[r][w], guarded, ctx.frozen)
            row.append(dom)
            if len(dom) == 1:
                sm.x[(r, w, dom[0])] = sm.true  # a fixed cell: one shared constant
                continue
            for k in dom:
                sm.x[(r, w, k)] = m.new_bool_var(f"x_{res.id}_{w}_{k}")
            if w not in res.leave_weeks:
                # Exactly one assignment per resident-week except leave weeks (spec).
                m.add_exactly_one([sm.x[(r, w, k)] for k in dom])
        sm.domains.append(row)
    _requests(sm)
    if ctx.staffing != "off":
        _staffing(sm)
    _requirements(sm)
    _runs(sm, all_phases)
    _balance(sm)
    if not guarded:
        add_objective(sm, all_phases, weights or ObjectiveWeights(), change_penalty)
    return sm


def _requests(sm: ScheduleModel) -> None:
    """Pinned cells and approved vacation (as constraints; domains already hold them)."""
    p = sm.problem
    pins = p.pins_by_resident
    for r, res in enumerate(p.residents):
        leave = set(res.leave_weeks)
        for w, k in pins.get(res.id, ()):
            if w in leave or w >= p.weeks:
                continue
            var = sm.var(r, w, k)
            lits = [var] if var is not None else []
            sm.clause(lits, f"pin:{res.id}", f"the pinned weeks for {res.label}")
        for w in res.vacation_weeks:
            if w in leave:
                continue
            vac = [sm.x[(r, w, k)] for k in sm.domains[r][w] if p.rotation(k).is_vacation]
            sm.clause(vac, f"vac:{res.id}", f"the approved vacation weeks for {res.label}")


def _staffing(sm: ScheduleModel) -> None:
    """Weekly staffing: between min and max residents of the listed PGY levels, every week.

    In a soft sub-model (LNS) each missing or extra resident costs ``slack_cost`` instead.
    """
    p, ctx = sm.problem, sm.context
    for rot in p.rotations:
        for i, spec in enumerate(rot.staffing):
            levels = "/".join(str(g) for g in spec.pgy)
            who = [r for r, res in enumerate(p.residents) if res.pgy in spec.pgy]
            for w in range(p.weeks):
                if not ctx.near(w, w, 0):
                    continue
                terms = [v for r in who if (v := sm.var(r, w, rot.code)) is not None]
                off = ctx.staff_offset.get((rot.code, i, w), 0)
                lo, hi = spec.min - off, None if spec.max is None else spec.max - off
                if ctx.staffing == "soft":
                    _soft(sm, terms, lo, hi, f"{rot.code}_{i}_{w}")
                    continue
                if lo > 0:
                    text = f"staffing: {rot.code} needs at least {spec.min} PGY-{levels} each week"
                    sm.linear(terms, lo, len(terms) + lo, f"smin:{rot.code}:{i}", text)
                if hi is not None and len(terms) > hi:
                    text = f"staffing: {rot.code} takes at most {spec.max} PGY-{levels} each week"
                    sm.linear(terms, 0, hi, f"smax:{rot.code}:{i}", text)


def _soft(sm: ScheduleModel, terms, lo: int, hi: int | None, name: str) -> None:
    """Staffing as a penalty: slack below ``lo`` and above ``hi`` costs ``slack_cost``."""
    m, n = sm.model, len(terms)
    total = cp_model.LinearExpr.sum(terms) if terms else 0
    if lo > 0:
        under = m.new_int_var(0, lo, f"under_{name}")
        m.add(under >= lo - total)
        sm.derived.append(
            (under, lambda v, t=terms, lo=lo: max(0, lo - sum(v[x.index] for x in t)))
        )
        sm.extra_terms.append(sm.context.slack_cost * under)
    if hi is not None and n > hi:
        over = m.new_int_var(0, n - hi, f"over_{name}")
        m.add(over >= total - hi)
        sm.derived.append((over, lambda v, t=terms, hi=hi: max(0, sum(v[x.index] for x in t) - hi)))
        sm.extra_terms.append(sm.context.slack_cost * over)


def _requirements(sm: ScheduleModel) -> None:
    """Yearly requirements: weeks on any listed rotation within [min_weeks, max_weeks]."""
    p = sm.problem
    for q in p.requirements:
        for r, res in enumerate(p.residents):
            if not q.applies_to(res):
                continue
            terms = [
                v for w in range(p.weeks) for k in q.rotations if (v := sm.var(r, w, k)) is not None
            ]
            lo = q.min_weeks or 0
            hi = len(terms) if q.max_weeks is None else q.max_weeks
            key, text = f"req:{q.index}:{res.id}", f"{q.describe()} for {res.label}"
            if lo > hi:
                sm.clause([], key, text)  # min above max: the rule can never hold
            elif lo > 0 or hi < len(terms):
                sm.linear(terms, lo, hi, key, text)


def _runs(sm: ScheduleModel, all_phases) -> None:
    """Max consecutive weeks and min run length (see the module docstring)."""
    p, ctx = sm.problem, sm.context
    last = p.weeks - 1
    for rot in p.rotations:
        k, mc, mr = rot.code, rot.max_consecutive_weeks, rot.min_run_weeks
        for r, res in enumerate(p.residents):
            if mc:
                for s in range(p.weeks - mc):
                    if not ctx.near(s, s + mc, 1):
                        continue
                    window = [sm.var(r, w, k) for w in range(s, s + mc + 1)]
                    if all(v is not None for v in window):
                        sm.linear(
                            window,
                            0,
                            mc,
                            f"maxc:{k}",
                            f"max consecutive weeks: at most {mc} weeks of {k} in a row",
                        )
            if not mr or mr < 2:
                continue
            leave = set(res.leave_weeks)
            text = f"min run: a stint on {k} lasts at least {mr} weeks" + (
                "" if rot.phase == "any" else " within one phase block"
            )
            blocks = [(0, last)] if rot.phase == "any" else phase_blocks(all_phases[r])
            for first, end in blocks:
                for s in range(first, end + 1):
                    if not ctx.near(s, s + mr, 1) or s == 0 or (s - 1) in leave:
                        continue  # cut short by the year start or by leave: exempt
                    for e in range(s, min(s + mr - 1, end + 1)):
                        run = [sm.var(r, w, k) for w in range(s, e + 1)]
                        if any(v is None for v in run):
                            break
                        if e == last or (e + 1) in leave:
                            continue
                        lits = [v.negated() for v in run]
                        if s > first and (before := sm.var(r, s - 1, k)) is not None:
                            lits.append(before)
                        if e < end and (after := sm.var(r, e + 1, k)) is not None:
                            lits.append(after)
                        sm.clause(lits, f"minrun:{k}", text)


def _balance(sm: ScheduleModel) -> None:
    """Track ambulatory band: ambulatory / (ambulatory + inpatient) weeks in [min, max]."""
    p = sm.problem
    tracks = p.track_map
    for r, res in enumerate(p.residents):
        track = tracks.get(res.track)
        if track is None:
            continue
        amb, inp = [], []
        for w, dom in enumerate(sm.domains[r]):
            for k in dom:
                rot = p.rotation(k)
                (amb if rot.is_ambulatory else inp if rot.is_inpatient else []).append(
                    sm.x[(r, w, k)]
                )
        lo = Fraction(str(track.ambulatory_min))
        hi = Fraction(str(track.ambulatory_max))
        key = f"band:{res.id}"
        text = f"the {track.code} ambulatory band ({float(lo):.0%}-{float(hi):.0%}) for {res.label}"
        a = cp_model.LinearExpr.sum(amb) if amb else 0
        i = cp_model.LinearExpr.sum(inp) if inp else 0
        if lo > 0:
            ct = sm.model.add((lo.denominator - lo.numerator) * a - lo.numerator * i >= 0)
            ct.only_enforce_if(sm.group(key, text))
        if hi < 1:
            ct = sm.model.add((hi.denominator - hi.numerator) * a - hi.numerator * i <= 0)
            ct.only_enforce_if(sm.group(key, text))
