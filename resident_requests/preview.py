"""What a request or a swap would do if granted, against the current published schedule.

The hard rules are `scheduling.hard_rules` (staffing, X+Y phase, requirements, run rules,
ambulatory band) and the balance is the compliance engine's own tally
(`compliance.engine.rules.tally`): nothing here re-states a rule. A preview compares the
published schedule with the same schedule after the change and reports only the breaks the
change adds, so a schedule that already breaks a rule does not blame the request for it.

`preview_base` reads one academic year's published schedule in a fixed number of queries;
`preview_change` is pure, so the queue previews any number of requests on one base.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from compliance.engine.engine import Figures
from compliance.engine.facts import ProgramFacts, ResidentYearFacts, YearFacts
from compliance.engine.limits import ComplianceSettings
from compliance.engine.rules.tally import tally_year
from compliance.facts import _rotation_facts
from programs.models import AcademicYear, Resident
from scheduling.hard_rules import Violation, schedule_violations
from scheduling.models import Schedule, ScheduleVersion
from scheduling.selectors import version_problem, version_rows
from scheduling.solver.problem import Problem

#: Rules about one resident's own row: a swap that breaks one of these for either
#: resident puts them on a rotation they may not take, and is refused.
RESIDENT_RULES = frozenset(
    {"phase", "max_consecutive", "min_run", "requirement", "ambulatory_band", "vacation", "leave"}
)


@dataclass
class PreviewBase:
    """One year's published schedule, as the preview reads it (None: nothing published)."""

    year: AcademicYear
    version: ScheduleVersion | None
    problem: Problem | None = None
    rows: dict[str, list[str | None]] = field(default_factory=dict)
    before: list[Violation] = field(default_factory=list)
    program_facts: ProgramFacts | None = None
    vacation_code: str | None = None


@dataclass
class CellChange:
    resident: str  # external id
    week: int
    before: str | None
    after: str | None
    name: str = ""
    day: datetime.date | None = None  # the Monday the week starts on


@dataclass
class Balance:
    before: float | None
    after: float | None
    band: tuple[float, float] | None

    @property
    def leaves_band(self) -> bool:
        if self.after is None or self.band is None:
            return False
        return not (self.band[0] - 1e-9 <= self.after <= self.band[1] + 1e-9)


@dataclass
class Preview:
    """The outcome: which cells change, which hard rules the change breaks, the balance."""

    published: bool
    scheduled: bool = True  # the requester is on the published schedule
    changes: list[CellChange] = field(default_factory=list)
    breaks: list[Violation] = field(default_factory=list)
    balance: Balance | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaks

    def breaks_for(self, resident_ids: set[str]) -> list[Violation]:
        """Breaks of the residents' own rows (rules in `RESIDENT_RULES`)."""
        return [
            v for v in self.breaks if v.rule in RESIDENT_RULES and v.resident_id in resident_ids
        ]


def preview_base(*, year: AcademicYear) -> PreviewBase:
    """The published schedule of `year` with its current breaks (a fixed number of queries)."""
    schedule = (
        Schedule.objects.filter(academic_year=year)
        .select_related("published_version__schedule__academic_year", "program")
        .first()
    )
    version = schedule.published_version if schedule else None
    if version is None:
        return PreviewBase(year=year, version=None)
    problem = version_problem(version=version)
    rows = version_rows(version=version)
    program = year.program
    rotations, _ = _rotation_facts(program)
    facts = ProgramFacts(
        x_weeks=program.x_weeks,
        y_weeks=program.y_weeks,
        cohorts=program.cohorts,
        rotations=rotations,
        tracks={t.code: (t.ambulatory_min, t.ambulatory_max) for t in problem.tracks},
    )
    vacation = next((r.code for r in problem.rotations if r.is_vacation), None)
    return PreviewBase(
        year=year,
        version=version,
        problem=problem,
        rows=rows,
        before=schedule_violations(problem, rows),
        program_facts=facts,
        vacation_code=vacation,
    )


_NUMBER = re.compile(r"\d+(\.\d+)?%?")


def _key(violation: Violation) -> tuple:
    """What makes a break the same break before and after a change: a requirement or band
    that was already unmet stays the same break however many weeks it now counts."""
    text = _NUMBER.sub("#", violation.message)
    if violation.rule in ("requirement", "ambulatory_band"):
        return (violation.rule, violation.resident_id, text)
    return (violation.rule, violation.resident_id, violation.rotation, violation.weeks, text)


def _share(base: PreviewBase, resident_id: str, row: list[str | None]) -> float | None:
    """The compliance engine's ambulatory share of one resident-year."""
    person = next(p for p in base.problem.residents if p.id == resident_id)
    year = base.year
    facts = ResidentYearFacts(
        resident_id=resident_id,
        academic_year=year.name,
        pgy=person.pgy,
        track=person.track,
        cohort=person.cohort,
        weeks=tuple(row),
    )
    year_facts = YearFacts(name=year.name, start=year.start, weeks=year.weeks)
    tally = tally_year(base.program_facts, facts, year_facts, year.start)
    return Figures.from_counts(tally.total, ComplianceSettings()).ambulatory_share


def preview_change(
    *,
    base: PreviewBase,
    focus: Resident,
    cells: dict[tuple[str, int], str | None] | None = None,
    vacation_weeks: tuple[int, ...] = (),
    leave_weeks: tuple[int, ...] = (),
) -> Preview:
    """What granting a change does: `cells` set (resident external id, week) -> rotation code
    (None: not scheduled); `vacation_weeks`/`leave_weeks` are granted to `focus`, whose
    cells those weeks become the program's vacation rotation / empty."""
    if base.version is None:
        return Preview(
            published=False, note="No schedule of this year is published yet; nothing to check."
        )
    rid = focus.external_id
    if rid not in base.rows:
        return Preview(
            published=True,
            scheduled=False,
            note=f"{focus.name} is not on the published schedule of {base.year.name}.",
        )
    wanted = dict(cells or {})
    for week in vacation_weeks:
        wanted[(rid, week)] = base.vacation_code
    for week in leave_weeks:
        wanted[(rid, week)] = None
    rows = {key: list(row) for key, row in base.rows.items()}
    changes = []
    names = {p.id: p.name for p in base.problem.residents}
    for (who, week), code in sorted(wanted.items()):
        if who not in rows or not 0 <= week < len(rows[who]):
            continue
        if rows[who][week] != code:
            day = base.year.week_start(week)
            changes.append(CellChange(who, week, rows[who][week], code, names.get(who, ""), day))
        rows[who][week] = code
    problem = base.problem
    if vacation_weeks or leave_weeks:
        residents = tuple(
            replace(
                p,
                vacation_weeks=tuple(sorted(set(p.vacation_weeks) | set(vacation_weeks))),
                leave_weeks=tuple(sorted(set(p.leave_weeks) | set(leave_weeks))),
            )
            if p.id == rid
            else p
            for p in problem.residents
        )
        problem = replace(problem, residents=residents)
    seen = {_key(v) for v in base.before}
    breaks = [v for v in schedule_violations(problem, rows) if _key(v) not in seen]
    track = base.problem.track_map.get(next(p.track for p in problem.residents if p.id == rid))
    band = (track.ambulatory_min, track.ambulatory_max) if track else None
    balance = Balance(_share(base, rid, base.rows[rid]), _share(base, rid, rows[rid]), band)
    return Preview(published=True, changes=changes, breaks=breaks, balance=balance)


def year_for_weeks(*, program, weeks) -> AcademicYear | None:
    """The academic year of the program that holds the first of `weeks` (dates)."""
    if not weeks:
        return None
    first = min(weeks)
    return (
        AcademicYear.objects.filter(program=program, start__lte=first)
        .order_by("-start")
        .select_related("program")
        .first()
    )
