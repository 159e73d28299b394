"""Plain, frozen input and result types of the schedule solver.

A ``Problem`` is everything the solver needs to build one academic year's schedule: the
X+Y template, rotations with weekly staffing, yearly requirements, tracks with their
ambulatory band, and residents with their requests already turned into 0-based week
indices. No ORM, no JSON: selectors (or ``from_bundle``) build it, services store results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Literal

from scheduling import xy
from scheduling.xy import RotationPhase, Setting, assign_cohorts, cohort_step, phases

Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "CANCELLED", "MODEL_INVALID"]


@dataclass(frozen=True)
class StaffingSpec:
    """Between ``min`` and ``max`` residents of ``pgy`` levels on a rotation every week."""

    pgy: tuple[int, ...]
    min: int = 0
    max: int | None = None


@dataclass(frozen=True)
class RotationSpec(xy.SettingFlags):
    """One rotation: setting (for balance), phase (x/y/any), staffing and run rules."""

    code: str
    name: str
    setting: Setting
    phase: RotationPhase = "any"
    staffing: tuple[StaffingSpec, ...] = ()
    max_consecutive_weeks: int | None = None
    min_run_weeks: int | None = None


@dataclass(frozen=True)
class RequirementSpec:
    """Per resident per year: weeks on any of ``rotations`` within [min_weeks, max_weeks].

    ``tracks`` is ``None`` for every track ("*" in a bundle). ``index`` is the 1-based
    position in the bundle, used to name the rule in explanations.
    """

    index: int
    tracks: tuple[str, ...] | None
    pgy: tuple[int, ...]
    rotations: tuple[str, ...]
    min_weeks: int | None = None
    max_weeks: int | None = None

    def applies_to(self, resident: ResidentSpec) -> bool:
        in_track = self.tracks is None or resident.track in self.tracks
        return in_track and resident.pgy in self.pgy

    def describe(self) -> str:
        """Return e.g. ``"requirement #2 (PGY-1, all tracks: 3-6 weeks of ICU)"``."""
        tracks = "all tracks" if self.tracks is None else "/".join(self.tracks)
        levels = "/".join(str(p) for p in self.pgy)
        if self.min_weeks is not None and self.max_weeks is not None:
            span = (
                f"exactly {self.min_weeks}"
                if self.min_weeks == self.max_weeks
                else f"{self.min_weeks}-{self.max_weeks}"
            )
        elif self.min_weeks is not None:
            span = f"at least {self.min_weeks}"
        else:
            span = f"at most {self.max_weeks}"
        rots = " or ".join(self.rotations)
        return f"requirement #{self.index} (PGY-{levels}, {tracks}: {span} weeks of {rots})"


@dataclass(frozen=True)
class TrackSpec:
    """A track and its ambulatory share band [ambulatory_min, ambulatory_max]."""

    code: str
    name: str = ""
    ambulatory_min: float = 0.0
    ambulatory_max: float = 1.0


@dataclass(frozen=True)
class ResidentSpec:
    """A resident with requests as 0-based week indices of the academic year.

    ``prefers`` holds ``(rotation, weight)``; ``avoids`` holds ``(rotation, weeks, weight)``.
    """

    id: str
    pgy: int
    track: str
    name: str = ""
    cohort: int | None = None
    vacation_weeks: tuple[int, ...] = ()
    leave_weeks: tuple[int, ...] = ()
    prefers: tuple[tuple[str, int], ...] = ()
    avoids: tuple[tuple[str, tuple[int, ...], int], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}".strip()


def resident_names(residents) -> dict[str, str]:
    """How the hard-rule messages name each resident: by name, with the program's id only
    where two residents share that name ("Ana Ruiz (R0031)"), by id when they have no name."""
    seen: dict[str, int] = defaultdict(int)
    for person in residents:
        seen[" ".join(person.name.split()).casefold()] += 1
    names = {}
    for person in residents:
        name = " ".join(person.name.split())
        if not name:
            names[person.id] = person.id
        elif seen[name.casefold()] > 1:
            names[person.id] = f"{name} ({person.id})"
        else:
            names[person.id] = name
    return names


@dataclass(frozen=True)
class Problem:
    """One academic year to schedule.

    ``fixed`` pins cells (pinned or already-published weeks) and is a hard rule; ``hints``
    has the same shape (``{(resident_id, week): rotation_code}``) and holds the current
    schedule when re-solving, so the solver changes as little as it can.
    """

    weeks: int
    x_weeks: int
    y_weeks: int
    cohorts: int
    rotations: tuple[RotationSpec, ...]
    requirements: tuple[RequirementSpec, ...]
    tracks: tuple[TrackSpec, ...]
    residents: tuple[ResidentSpec, ...]
    fixed: Mapping[tuple[str, int], str] = field(default_factory=dict)
    hints: Mapping[tuple[str, int], str] = field(default_factory=dict)
    year_name: str = ""
    year_start: date | None = None
    program: str = ""

    @cached_property
    def pins_by_resident(self) -> dict[str, list[tuple[int, str]]]:
        """Pinned cells grouped by resident: ``{id: [(week, rotation), ...]}``."""
        out: dict[str, list[tuple[int, str]]] = {}
        for (rid, week), code in sorted(self.fixed.items()):
            out.setdefault(rid, []).append((week, code))
        return out

    def rotation(self, code: str) -> RotationSpec:
        return self.rotation_map[code]

    @cached_property
    def rotation_map(self) -> dict[str, RotationSpec]:
        return {r.code: r for r in self.rotations}

    @cached_property
    def track_map(self) -> dict[str, TrackSpec]:
        return {t.code: t for t in self.tracks}

    @cached_property
    def resident_names(self) -> dict[str, str]:
        """How messages name each resident (``resident_names``), worked out once: the
        solver's repairs check rows by the thousand."""
        return resident_names(self.residents)

    def cohort_map(self) -> dict[str, int]:
        """Return every resident's cohort: fixed ones kept, others by ``assign_cohorts``."""
        return assign_cohorts(self.residents, self.cohorts)

    def with_cohorts(self) -> Problem:
        """Return a copy in which every resident has a cohort (decomposition: cohorts first)."""
        cohorts = self.cohort_map()
        people = tuple(replace(r, cohort=cohorts[r.id]) for r in self.residents)
        return replace(self, residents=people)

    def phases_of(self, resident: ResidentSpec) -> tuple[str, ...]:
        """Return "x"/"y" per week for a resident whose cohort is set."""
        if resident.cohort is None:
            raise ValueError(f"resident {resident.id} has no cohort yet; call with_cohorts()")
        return phases(
            self.weeks,
            resident.cohort,
            x_weeks=self.x_weeks,
            y_weeks=self.y_weeks,
            cohorts=self.cohorts,
        )

    def validate_template(self) -> None:
        """Raise ``ValueError`` if the template's cohorts do not divide its cycle."""
        cohort_step(x_weeks=self.x_weeks, y_weeks=self.y_weeks, cohorts=self.cohorts)


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the soft goals; 0 switches a goal off.

    - ``prefer``: per week short of ``prefer_weeks`` on a preferred rotation, times the
      request's weight (1..10);
    - ``avoid``: per week on an avoided rotation in an avoided week, times the request weight;
    - ``fairness``: for nights, critical care and inpatient electives, per week that a
      resident of a (track, PGY) class sits outside the class's fair band - the best band
      of ``fairness_slack`` + 1 weeks (stints last weeks, so a spread of 2 is still fair);
    - ``continuity``: per rotation change the scheduler chose between consecutive weeks of
      one phase block. Not counted: the flip between phases, changes next to leave,
      approved vacation or pinned weeks, and changes next to a run that reaches its
      rotation's max_consecutive_weeks (the rule forces them; see ``objective._changes``).

    Every term is non-negative and 0 in a perfect schedule; the solver's lower bound is the
    sum of what each resident could reach alone (``lns.examine``).
    """

    prefer: int = 4
    avoid: int = 4
    fairness: int = 6
    continuity: int = 1
    prefer_weeks: int = 2
    fairness_slack: int = 2


@dataclass(frozen=True)
class SolveOptions:
    """How to solve.

    ``deterministic=True`` makes the run reproducible for a given ``seed``: the workers are
    interleaved in one thread (``interleave_search``) and the budget is CP-SAT's
    deterministic time instead of wall time. The default is the fast, parallel search.
    ``change_penalty`` is the cost of each hinted cell the solver changes when ``hints``
    are given. ``explain`` runs the assumption-based conflict search when infeasible;
    ``method`` picks the search: "auto" (greedy start, large-neighbourhood search, then the
    full model for small programs), "lns" (no full model unless the LNS fails) or "cpsat"
    (the full CP-SAT model from the greedy hint). Cohorts the bundle leaves open are the
    builder's decision: ``assign_cohorts``' even spread in id order, or - with
    ``choose_cohorts`` - the same spread arranged by the residents' avoid wishes
    (``cohorts``; off by default: on the contested benchmark it did not lower the bound).
    ``symmetry`` orders interchangeable residents in the full model once a schedule that
    meets every rule is known (``full.break_symmetry``; not in deterministic runs, where
    it was not reproducible); off only to measure or test it. ``minimal_change`` marks a
    re-plan (``schedule_replan``: the hints are the published schedule and every change
    costs more than a wish can gain): the builder then goes from the first schedule
    straight to the full model, whatever the program's size.
    """

    time_limit_s: float = 30.0
    seed: int = 0
    num_workers: int = 2
    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    change_penalty: int = 20
    deterministic: bool = False
    relative_gap_limit: float = 0.0
    explain: bool = True
    method: Literal["auto", "lns", "cpsat"] = "auto"
    explain_time_limit_s: float = 20.0
    precheck: bool = True
    log_search: bool = False
    choose_cohorts: bool = False
    symmetry: bool = True
    minimal_change: bool = False


@dataclass
class SolveResult:
    """What a solve returns.

    ``assignments`` lists a rotation code (None on leave) per week for each resident;
    ``num_variables`` counts the decision booleans of the year's full model (one per
    resident, week and allowed rotation); ``gap`` is ``(objective - best_bound) /
    max(1, objective)``; ``explanation`` says in words why there is no schedule.
    ``cohorts_chosen`` is True when the builder chose some residents' cohorts (the bundle
    left them open); ``bound_scope`` then says whether ``best_bound`` holds for every
    choice of cohorts ("overall") or only for the chosen ones ("cohorts"), and so whether
    OPTIMAL means best overall or best for these cohorts. ``bound_source`` names what
    gave the bound ("cp-sat", "wish groups", "residents alone").
    """

    status: Status
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    time_to_first_s: float | None = None
    total_time_s: float = 0.0
    num_variables: int = 0
    solutions_found: int = 0
    assignments: dict[str, list[str | None]] = field(default_factory=dict)
    cohorts: dict[str, int] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    cohorts_chosen: bool = False
    bound_scope: Literal["overall", "cohorts"] = "overall"
    bound_source: str = ""

    @property
    def has_schedule(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE") or (
            self.status == "CANCELLED" and bool(self.assignments)
        )
