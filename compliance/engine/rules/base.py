"""What every rule shares: the Finding it returns and the Scope it evaluates in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from compliance.engine.facts import ProgramFacts, ResidentFacts, ResidentYearFacts, YearFacts
from compliance.engine.limits import LIMITS
from compliance.engine.rules.projection import EPSILON, Outlook, Projection, build_outlook
from compliance.engine.rules.tally import YearTally, tally_year

Severity = Literal["critical", "warning", "info"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"
INFO: Severity = "info"
SEVERITY_ORDER = {CRITICAL: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a program director should know, with the figure and the limit it broke."""

    severity: Severity
    rule_id: str
    reference: str  # where the rule comes from, e.g. "ACGME IM Program Requirements IV.C.3"
    message: str  # a sentence with the numbers
    resident_id: str | None = None
    rotation: str | None = None
    academic_year: str | None = None
    weeks: tuple[int, ...] = ()  # 0-based week indices within academic_year
    figure: float | None = None
    limit: str = ""  # e.g. "50%–60%" or ">= 130"

    def sort_key(self) -> tuple:
        return (
            SEVERITY_ORDER[self.severity],
            self.resident_id or "",
            self.rule_id,
            self.academic_year or "",
            self.weeks,
            self.rotation or "",
        )


def reference(limit_id: str) -> str:
    return LIMITS[limit_id].reference


class Scope:
    """The evaluation context: the reporting year, the as-of date and cached tallies.

    ``year`` limits the per-year rules (staffing, phase, requirements, runs, vacation, yearly
    shares) to one academic year; residency-wide rules always look at the whole residency.
    """

    def __init__(self, program: ProgramFacts, *, as_of: date, year: str | None = None) -> None:
        self.program = program
        self.as_of = as_of
        self.year = year
        self._years = {y.name: y for y in program.years}
        if year is not None and year not in self._years:
            raise ValueError(f"Academic year {year!r} is not one of the program's years")
        self._tallies: dict[tuple[str, str], YearTally] = {}
        self._outlooks: dict[str, Outlook] = {}

    def year_facts(self, name: str) -> YearFacts:
        try:
            return self._years[name]
        except KeyError:
            raise ValueError(f"Academic year {name!r} is not one of the program's years") from None

    def in_scope(self, academic_year: str) -> bool:
        return self.year is None or academic_year == self.year

    def tally(self, resident_year: ResidentYearFacts) -> YearTally:
        key = (resident_year.resident_id, resident_year.academic_year)
        tally = self._tallies.get(key)
        if tally is None:
            year = self.year_facts(resident_year.academic_year)
            tally = tally_year(self.program, resident_year, year, self.as_of)
            self._tallies[key] = tally
        return tally

    def scheduled_years(self, resident: ResidentFacts) -> Iterator[YearTally]:
        """The resident's built (published or draft) years within the reporting year."""
        for resident_year in resident.years:
            if self.in_scope(resident_year.academic_year):
                tally = self.tally(resident_year)
                if tally.scheduled:
                    yield tally

    def outlook(self, resident: ResidentFacts) -> Outlook:
        """The resident's residency-wide projection (see ``projection``)."""
        outlook = self._outlooks.get(resident.id)
        if outlook is None:
            outlook = build_outlook(self, resident)
            self._outlooks[resident.id] = outlook
        return outlook


def minimum_severity(outlook: Outlook, projection: Projection, minimum: float) -> Severity | None:
    """None when the projection meets ``minimum``; else how serious the shortfall is."""
    if not projection.below(minimum):
        return None
    if outlook.prior_years:
        return INFO  # earlier training is not recorded: cannot be confirmed either way
    return CRITICAL if projection.unreachable(minimum) else WARNING


def maximum_severity(projection: Projection, maximum: float) -> Severity | None:
    """Critical once weeks already done exceed ``maximum``; a warning if the plan does."""
    if projection.so_far > maximum + EPSILON:
        return CRITICAL
    if projection.projected > maximum + EPSILON:
        return WARNING
    return None


def runs(indices: Iterable[int]) -> list[tuple[int, ...]]:
    """Group sorted week indices into runs of consecutive weeks."""
    groups: list[list[int]] = []
    for index in indices:
        if groups and index == groups[-1][-1] + 1:
            groups[-1].append(index)
        else:
            groups.append([index])
    return [tuple(group) for group in groups]


def describe_weeks(year: YearFacts, weeks: Sequence[int]) -> str:
    """'the week of 2027-07-26' or 'the 3 weeks from 2027-07-26 to 2027-08-09'."""
    first, last = year.week_start(weeks[0]), year.week_start(weeks[-1])
    if len(weeks) == 1:
        return f"the week of {first.isoformat()}"
    if weeks[-1] - weeks[0] + 1 == len(weeks):
        return f"the {len(weeks)} weeks from {first.isoformat()} to {last.isoformat()}"
    return f"{len(weeks)} weeks between {first.isoformat()} and {last.isoformat()}"


def pct(share: float) -> str:
    """0.4166 -> '41.7%'; whole percentages print without a decimal."""
    value = round(share * 100, 1)
    return f"{value:g}%"


def num(value: float) -> str:
    """12.0 -> '12', 57.64 -> '57.6'."""
    return f"{round(value, 1):g}"


def plural(count: float, word: str) -> str:
    return f"{num(count)} {word}" + ("" if count == 1 else "s")
