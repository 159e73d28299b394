"""Large-neighbourhood search: improve a whole-year schedule one small sub-model at a time.

A CP-SAT model of a 400-resident year has ~115k decision booleans; CP-SAT's own
neighbourhoods then cost seconds each. Here a neighbourhood is a few residents, usually
within a window of weeks: everybody and everything else is frozen, so the sub-model sees
the others' staffing as constant offsets and their fairness loads as constants, and it
solves in a fraction of a second. While the greedy start still breaks staffing rules,
sub-models make staffing soft (each missing or extra resident costs ``SLACK_COST``); once
all hold, they keep it hard, which solves much faster. The per-resident rules
(requirements, runs, band, vacation, pins) are always hard. A move is kept only when the
whole objective, recomputed here, goes down, so the search never gets worse, even when two
moves ran side by side. Deterministic for a seed with one worker and deterministic time.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduling.solver.alone import alone_bound
from scheduling.solver.model import Context, build_model, week_domain
from scheduling.solver.objective import counted_changes, fairness_cost, fairness_kinds
from scheduling.solver.problem import Problem, SolveOptions
from scheduling.solver.report import unmet_wishes

SLACK_COST = 1000
#: While staffing rules break, this share of the moves closes a gap (the rest improve the
#: wishes on the way). Half of those move one resident's whole year: one on an overfull
#: rotation that week, or one who may take an understaffed one; of the rest, this share
#: takes a few residents' whole year, half of them from those on an overfull rotation,
#: instead of a window of weeks. Measured on any-phase programs with 4-week minimum runs
#: (200 and 400 residents, 2 idle cores): a 13-week window cuts those runs at its edges,
#: so its moves mostly ran out of time without closing anything, while whole-year moves of
#: 6 residents solved in 0.05-0.2 s and closed 1-3 gaps each, and one resident's year in a
#: few milliseconds. First schedule at 400 residents, contested: 16-19 s with windows only,
#: 9-12 s with whole years of six, 8.2-8.5 s with single residents too (200 residents,
#: another seed: 3.6-4.4 s -> 2.7-2.8 s).
GAP_SHARE = 0.9
GAP_ONE_SHARE = 0.5
GAP_YEAR_SHARE = 0.7
GAP_YEAR_RESIDENTS = 6
#: residents in a ``deviants`` neighbourhood (whole years)
DEVIANTS = 8
#: deterministic time charged per move besides CP-SAT's own (building the sub-model)
MOVE_WORK = 0.02


@dataclass
class Job:
    """One neighbourhood: its sub-model, the hinted objective and, once solved, new rows."""

    free: list[int]
    window: range | None
    sm: object
    before: int
    seed: int = 0
    status: int = cp_model.UNKNOWN
    after: int = 0
    rows: list | None = None
    costs: list[int] = field(default_factory=list)
    work: float = 0.0
    fast: bool = False
    kind: str = ""

    def solve(self, seconds: float, deterministic: bool) -> Job:
        """Solve the sub-model (in a worker thread: CP-SAT releases the GIL)."""
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = 1
        params.linearization_level = 0  # small sub-models: propagation beats the LP here
        params.random_seed = self.seed
        if deterministic:
            params.max_deterministic_time = seconds
        else:
            params.max_time_in_seconds = seconds
        slack = self.sm.extra_terms  # soft staffing: what the schedule still breaks
        self.status = solver.solve(self.sm.model, _SlackFree(slack) if slack else None)
        # "fast" grows the neighbourhoods; measured in deterministic time when asked, so
        # the machine's load cannot change the next neighbourhood's size
        spent = solver.deterministic_time if deterministic else solver.wall_time
        self.work, self.fast = solver.deterministic_time, spent < seconds / 4
        if self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.after = round(solver.objective_value)
            rows = self.sm.assignments(solver.boolean_value)
            self.rows = [rows[res.id] for res in self.sm.problem.residents]
            self.costs = [
                round(sum(solver.value(t) for t in self.sm.local_terms.get(j, [])))
                for j in range(len(self.free))
            ]
        self.sm = None  # free the model early
        return self


class _SlackFree(cp_model.CpSolverSolutionCallback):
    """Ends a soft sub-model's search at its first schedule that breaks no staffing rule:
    while the whole schedule still breaks some, closing them is the move's job (measured:
    those moves otherwise spent their whole time limit on the wishes, and the first
    schedule of a 200-resident program with long runs took 10 s); the wishes come later."""

    def __init__(self, slack) -> None:
        super().__init__()
        self.slack = slack

    def on_solution_callback(self) -> None:
        if all(self.value(term) == 0 for term in self.slack):
            self.stop_search()


@dataclass
class Search:
    """The current schedule and the running counts the neighbourhoods need."""

    problem: Problem
    options: SolveOptions
    grid: list[list[str | None]]
    local: list[int] = field(default_factory=list)  # each resident's own objective terms
    bounds: dict[int, int] = field(default_factory=dict)  # ... the best they could be alone
    staff: Counter = field(default_factory=Counter)  # (code, spec index, week) -> residents
    kinds: dict[str, str] = field(default_factory=dict)  # rotation -> fairness kind
    loads: list[Counter] = field(default_factory=list)  # weeks per fairness kind
    rng: random.Random = field(default_factory=random.Random)
    broken: set[int] = field(default_factory=set)  # rows that break their own hard rules
    hopeless: set[int] = field(default_factory=set)  # ... and that no row of theirs meets
    size: int = 20
    work: float = 0.0  # deterministic time spent in sub-solves
    started: float = field(default_factory=time.perf_counter)
    last_kind: str = ""
    known_bound: int = 0  # a lower bound proven elsewhere (``relax``): reaching it is best
    targets: list[str] = field(default_factory=list)  # rotations whose wishes clash
    groups: list = field(default_factory=list)  # solved ``relax.GroupBound``s: placements

    def elapsed(self) -> float:
        """The search clock: wall seconds, or CP-SAT deterministic time when determinism is
        asked (then the same seed gives the same schedule on any machine load)."""
        return self.work if self.options.deterministic else time.perf_counter() - self.started

    def __post_init__(self) -> None:
        self.kinds = {
            k: kind for kind, codes in fairness_kinds(self.problem.rotations).items() for k in codes
        }
        self.kind_names = sorted(set(self.kinds.values()))
        self.rng = random.Random(self.options.seed)
        self._group_cache: dict[str, tuple] = {}  # code -> (group, costs)
        self._row_costs: dict[tuple[str, int], tuple] = {}  # (code, r) -> (row, cost)
        self.loads = [Counter() for _ in self.problem.residents]
        self.classes: dict[tuple, list[int]] = defaultdict(list)
        for r, res in enumerate(self.problem.residents):
            if not res.leave_weeks:
                self.classes[(res.track, res.pgy)].append(r)
        for r in range(len(self.problem.residents)):
            self._count(r, +1)

    def _count(self, r: int, sign: int) -> None:
        res, rots = self.problem.residents[r], self.problem.rotation_map
        loads = self.loads[r]
        for w, k in enumerate(self.grid[r]):
            if k is None:
                continue
            for i, spec in enumerate(rots[k].staffing):
                if res.pgy in spec.pgy:
                    self.staff[(k, i, w)] += sign
            if k in self.kinds:
                loads[self.kinds[k]] += sign

    def load(self, r: int, kind: str) -> int:
        return self.loads[r][kind]

    def slack(self) -> int:
        """Missing plus extra residents over every staffing rule and week."""
        total = 0
        for rot in self.problem.rotations:
            for i, spec in enumerate(rot.staffing):
                for w in range(self.problem.weeks):
                    n = self.staff[(rot.code, i, w)]
                    total += max(0, spec.min - n) + (
                        max(0, n - spec.max) if spec.max is not None else 0
                    )
        return total

    def fairness(self) -> int:
        """The fairness term of the objective, computed from the grid."""
        wt = self.options.weights
        if not wt.fairness:
            return 0
        total = 0
        for members in self.classes.values():
            for kind in self.kind_names:
                loads = [self.loads[r][kind] for r in members]
                if len(loads) > 1:
                    total += fairness_cost(loads, wt.fairness_slack)[0]
        return wt.fairness * total

    def objective(self) -> int:
        return sum(self.local) + self.fairness()

    def adopt(self, grid, local: list[int]) -> None:
        """Replace the schedule by ``grid`` (every row valid), with each row's own cost."""
        self.broken = set()
        self.replace_rows({r: (list(row), local[r]) for r, row in enumerate(grid)})

    def replace_rows(self, rows: dict[int, tuple[list, int]]) -> None:
        """Put new rows (with each row's own cost) into the schedule."""
        for r, (row, cost) in rows.items():
            self._count(r, -1)
            self.grid[r], self.local[r] = row, cost
            self._count(r, +1)

    def feasible(self) -> bool:
        """Whether the schedule meets every hard rule (own rules and staffing)."""
        return not self.broken and self.slack() == 0

    def proven(self) -> bool:
        """Whether the objective reached a known bound, or every resident is at their own
        optimum and every class is fair."""
        objective = self.objective()
        return objective <= self.known_bound or (
            all(cost == 0 or cost <= self.bounds.get(r, -1) for r, cost in enumerate(self.local))
            and self.fairness() == 0
        )

    def bound(self, deadline: float | None = None) -> int:
        """A lower bound of the objective: what each resident could reach alone.

        Residents not solved alone by ``deadline`` count 0, which keeps the bound valid.
        """
        for r, cost in enumerate(self.local):
            left = 1.0 if deadline is None else min(1.0, deadline - time.perf_counter())
            if left < 0.05:
                break
            if cost > 0 and r not in self.bounds:
                self.bounds[r] = alone_bound(self.problem, r, self.options, seconds=left)
        return sum(self.bounds.get(r, 0) for r in range(len(self.local)))

    def total(self) -> int:
        """What a move must lower: the objective plus ``SLACK_COST`` per staffing miss."""
        return self.objective() + SLACK_COST * self.slack()

    # -- one move -------------------------------------------------------------------
    def prepare(self, free: list[int], window: range | None) -> Job:
        """Build the sub-model of ``free`` residents, hinted with their current rows."""
        p, grid = self.problem, self.grid
        offset = Counter(self.staff)
        for r in free:
            self._count_into(offset, r, -1)
        fair_outside = {}
        chosen = set(free)
        for (track, pgy), members in self.classes.items():
            for kind in self.kind_names:
                loads = tuple(self.loads[r][kind] for r in members if r not in chosen)
                if loads:
                    fair_outside[(track, pgy, kind)] = loads
        frozen: dict[tuple[str, int], str] = {}
        if window is not None:
            for r in free:
                rid = p.residents[r].id
                for w, k in enumerate(grid[r]):
                    if k is not None and w not in window:
                        frozen[(rid, w)] = k
        # Once every staffing rule holds, sub-models keep them hard: much faster to solve.
        hard = not self.broken and self.slack() == 0
        context = Context(
            staffing="hard" if hard else "soft",
            staff_offset=offset,
            fair_outside=fair_outside,
            frozen=frozen,
            slack_cost=SLACK_COST,
            active=window,
        )
        sub = replace(p, residents=tuple(p.residents[r] for r in free))
        opts = self.options
        sm = build_model(
            sub, weights=opts.weights, change_penalty=opts.change_penalty, context=context
        )
        before = sm.hint([grid[r] for r in free])
        return Job(free, window, sm, before, seed=self.rng.randrange(1 << 30), kind=self.last_kind)

    def _count_into(self, counter: Counter, r: int, sign: int) -> None:
        res, rots = self.problem.residents[r], self.problem.rotation_map
        for w, k in enumerate(self.grid[r]):
            if k is not None:
                for i, spec in enumerate(rots[k].staffing):
                    if res.pgy in spec.pgy:
                        counter[(k, i, w)] += sign

    def finish(self, job: Job) -> int:
        """Keep the job's rows if they lower ``total()`` (or repair a broken row)."""
        # Each move also counts a fixed share for building its sub-model in Python, so a
        # deterministic run ends after a number of moves, not when the wall clock says.
        self.work += job.work + (MOVE_WORK if self.options.deterministic else 0.0)
        if job.window is not None:
            if job.status == cp_model.OPTIMAL and job.fast:
                self.size = min(self.size + 2, 40)
            elif job.status != cp_model.OPTIMAL:
                self.size = max(self.size - 2, 6)
        if job.status == cp_model.INFEASIBLE and job.window is None and len(job.free) == 1:
            self.hopeless |= self.broken & set(job.free)  # their own rules clash
        if job.rows is None or (job.after >= job.before and not self.broken & set(job.free)):
            return 0
        before = self.total()
        old = [(self.grid[r], self.local[r]) for r in job.free]
        for r, row, cost in zip(job.free, job.rows, job.costs, strict=True):
            self._count(r, -1)
            self.grid[r], self.local[r] = row, cost
            self._count(r, +1)
        after = self.total()
        repaired = self.broken & set(job.free)
        if after < before or repaired:
            self.broken -= repaired
            return max(1, before - after)
        for r, (row, cost) in zip(job.free, old, strict=True):  # a stale move: undo it
            self._count(r, -1)
            self.grid[r], self.local[r] = row, cost
            self._count(r, +1)
        return 0

    # -- neighbourhoods -----------------------------------------------------------------
    def neighbourhood(self) -> tuple[list[int], range | None]:
        """Pick residents and a window of weeks likely to improve together.

        Residents whose own rules are broken come first (whole year, one at a time, unless
        no row of theirs can meet them); then staffing gaps (one resident who can close it,
        or a few of those PGY levels, their whole year or around that week); then the
        costliest spots: a resident above their own bound (a window around one of their
        counted changes with peers of the same PGY level, half from the same cohort, or the
        whole year with a few same-cohort peers) or an unfair class (members outside its
        fair band plus others, whole year); else a random window of one PGY level.
        """
        p, rng = self.problem, self.rng
        people = range(len(p.residents))
        span = min(p.weeks, 13)
        if mendable := self.broken - self.hopeless:
            self.last_kind = "broken"
            return [rng.choice(sorted(mendable))], None
        gaps = [key for key, _ in self._staff_gaps()]
        roll = rng.random()
        if gaps and roll < GAP_SHARE:
            self.last_kind = "gap"
            code, i, w = rng.choice(gaps)
            spec = p.rotation(code).staffing[i]
            pool = [r for r in people if p.residents[r].pgy in spec.pgy and self.grid[r][w]]
            over = [r for r in pool if self.grid[r][w] == code]
            overfull = spec.max is not None and len(over) > spec.max
            if rng.random() < GAP_ONE_SHARE:  # one resident's year: a few milliseconds
                if overfull:
                    return self._sample(over, 1), None
                able = [r for r in pool if r not in over and self._may_take(r, code, w)]
                return self._sample(able or pool, 1), None
            year = rng.random() < GAP_YEAR_SHARE  # budgets and runs spent elsewhere can move
            n = GAP_YEAR_RESIDENTS if year else self.size
            window = None if year else self._window(w, span)
            if overfull and (year or rng.random() < 0.5):
                # too many: half of the neighbourhood from those on it that week
                chosen = self._sample(over, n // 2)
                rest = [r for r in pool if r not in chosen]
                return sorted(chosen + self._sample(rest, n - len(chosen))), window
            return self._sample(pool, n), window
        if self.targets and roll < 0.85 and rng.random() < 0.6:
            return self._wished(rng.choice(self.targets), span)
        hot = [r for r in people if self.local[r] > self.bounds.get(r, 0)]
        unfair = self._unfair()
        if (hot or unfair) and roll < 0.85:
            if unfair and (not hot or rng.random() < 0.3):
                self.last_kind = "fair"
                outliers, _ = rng.choice(unfair)
                res = p.residents[outliers[0]]
                members = self.classes[(res.track, res.pgy)]
                chosen = self._sample(outliers, 4)
                rest = [r for r in members if r not in chosen]
                return sorted(chosen + self._sample(rest, 4)), None
            self.last_kind = "hot"
            seed = rng.choice(hot)
            if seed not in self.bounds:
                self.bounds[seed] = alone_bound(p, seed, self.options)
            res = p.residents[seed]
            weeks = self.change_weeks(seed)
            week = rng.choice(weeks) if weeks else rng.randrange(p.weeks)
            peers = [r for r in people if p.residents[r].pgy == res.pgy and r != seed]
            same = [r for r in peers if p.residents[r].cohort == res.cohort]
            if rng.random() < 0.4:  # the whole year with a few peers who share its phases
                return sorted([seed, *self._sample(same or peers, 5)]), None
            chosen = self._sample(same, self.size // 2)
            rest = [r for r in peers if r not in chosen]
            chosen += self._sample(rest, self.size - 1 - len(chosen))
            length = min(p.weeks, rng.randint(span, 2 * span))
            first = min(max(0, week - rng.randrange(length)), p.weeks - length)
            return sorted([seed, *chosen]), range(first, first + length)
        self.last_kind = "random"
        res = p.residents[rng.randrange(len(p.residents))]
        pool = [r for r in people if p.residents[r].pgy == res.pgy]
        return self._sample(pool, self.size), self._window(rng.randrange(p.weeks), span)

    def _wished(self, code: str, span: int) -> tuple[list[int], range]:
        """Residents on ``code`` or wishing about it around a random week: a clash over a
        scarce rotation (``relax`` says which) is settled among them."""
        self.last_kind = "wish"
        p, rng = self.problem, self.rng
        window = self._window(rng.randrange(p.weeks), span)
        pool = []
        for r, res in enumerate(p.residents):
            on = any(self.grid[r][t] == code for t in window)
            wants = any(k == code for k, _ in res.prefers)
            dreads = any(k == code and set(weeks) & set(window) for k, weeks, _ in res.avoids)
            if on or wants or dreads:
                pool.append(r)
        return self._sample(pool, self.size), window

    def deviants(self) -> tuple[list[int], None]:
        """The whole years of residents who stray from a wished-for rotation's own best
        placement (its wish group's solution, ``relax``): half from those whose wishes about
        it cost more than there, half from those who hold more of it, or fare better, than
        there. Such a chain (one gives up a week of the scarce elective, another takes it,
        the rest of both years rearranged) is what a random neighbourhood finds by luck;
        measured on contested 4+1 100 (2 idle cores), from the full model's stalled 272 to
        the bound 268 in 0.8-3.6 s, from its 285 at 5.6 s in 0.3-0.4 s."""
        self.last_kind = "deviants"
        rng, people = self.rng, range(len(self.problem.residents))
        groups = list(self.groups)
        rng.shuffle(groups)
        for group in groups:  # the first one somebody strays from
            own = self._group_costs(group)
            now = [self._row_wish_cost(r, group.code) for r in people]
            if worse := [r for r in people if now[r] > own[r]]:
                break
        else:
            return [], None
        placed = [0] * len(self.problem.residents)
        for r, _ in group.cells:
            placed[r] += 1
        better = [
            r for r in people if now[r] < own[r] or self.grid[r].count(group.code) > placed[r]
        ]
        half = DEVIANTS // 2
        chosen = self._sample(worse, half)
        rest = [r for r in better if r not in chosen]
        return sorted(chosen + self._sample(rest, DEVIANTS - len(chosen))), None

    def _group_costs(self, group) -> list[int]:
        """Each resident's wish cost about ``group.code`` in the group's own solution."""
        cached = self._group_cache.get(group.code)
        if cached is not None and cached[0] is group:
            return cached[1]
        rows = [[None] * self.problem.weeks for _ in self.problem.residents]
        for r, w in group.cells:
            rows[r][w] = group.code
        costs = [self._wish_cost(r, group.code, row) for r, row in enumerate(rows)]
        self._group_cache[group.code] = (group, costs)
        return costs

    def _row_wish_cost(self, r: int, code: str) -> int:
        """``_wish_cost`` of resident ``r``'s current row, kept until the row changes (a
        neighbourhood is drawn far more often than a move is kept: measured at 400
        residents, 3.3 ms a draw instead of 15.6 ms)."""
        row = tuple(self.grid[r])
        seen = self._row_costs.get((code, r))
        if seen is None or seen[0] != row:
            seen = (row, self._wish_cost(r, code, row))
            self._row_costs[(code, r)] = seen
        return seen[1]

    def _wish_cost(self, r: int, code: str, row) -> int:
        """The weight of resident ``r``'s unmet wishes about ``code`` in ``row``."""
        wt = self.options.weights
        return sum(
            weeks * weight * (wt.prefer if kind == "prefer" else wt.avoid)
            for kind, k, weeks, weight in unmet_wishes(
                self.problem, self.problem.residents[r], row, wt.prefer_weeks
            )
            if k == code
        )

    def _may_take(self, r: int, code: str, week: int) -> bool:
        """Whether resident ``r`` may be on ``code`` in ``week`` (phase, leave, vacation)."""
        res = self.problem.residents[r]
        phase = self.problem.phases_of(res)[week]
        return code in week_domain(self.problem, res, week, phase)

    def _window(self, week: int, span: int) -> range:
        first = max(0, min(week - span // 2, self.problem.weeks - span))
        return range(first, first + span)

    def _unfair(self) -> list[tuple[list[int], str]]:
        """(residents outside their class's fair band, kind), for classes that have any."""
        wt = self.options.weights
        if not wt.fairness:
            return []
        out = []
        for members in self.classes.values():
            for kind in self.kind_names:
                loads = [self.loads[r][kind] for r in members]
                if len(loads) < 2:
                    continue
                cost, low = fairness_cost(loads, wt.fairness_slack)
                if cost:
                    high = low + wt.fairness_slack
                    out.append(
                        ([r for r in members if not low <= self.loads[r][kind] <= high], kind)
                    )
        return out

    def change_weeks(self, r: int) -> list[int]:
        """Weeks that start a counted rotation change."""
        res = self.problem.residents[r]
        return counted_changes(self.problem, res, self.grid[r], self.problem.phases_of(res))

    def _sample(self, pool: list[int], n: int) -> list[int]:
        pool = list(dict.fromkeys(pool))
        return sorted(self.rng.sample(pool, min(n, len(pool))))

    def _staff_gaps(self):
        for rot in self.problem.rotations:
            for i, spec in enumerate(rot.staffing):
                for w in range(self.problem.weeks):
                    n = self.staff[(rot.code, i, w)]
                    if n < spec.min or (spec.max is not None and n > spec.max):
                        yield (rot.code, i, w), n
