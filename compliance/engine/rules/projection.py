"""Residency-wide projection: where a resident stands now and where the plan takes them.

Every residency-wide figure is split three ways at the as-of date:

* **so far** — weeks of built years that have ended;
* **scheduled** — weeks ahead in published and draft years (they can still be changed);
* **assumed** — years with no schedule yet, up to graduation, *assuming the template*: an
  unscheduled year of N weeks has N minus the vacation allotment countable weeks; its
  ambulatory share is the template's Y share or the track band's floor, whichever is
  higher; clinic is held in every Y week; critical care and experiences are what the
  program's yearly requirements for that PGY and track guarantee at their minimum.

A minimum is *at risk* (warning) when the projection falls short but the remaining weeks
could still close the gap, and *unreachable* (critical) when they cannot. A maximum is
critical once it is exceeded by weeks already done, a warning when the plan exceeds it.
Residency-wide rules apply to residents planned to train at least ``residency_years``; when
training before the first recorded year is missing, minimums cannot be confirmed (info).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.engine.facts import ProgramFacts, ResidentFacts, year_number
from compliance.engine.rules.tally import Counts

EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Estimate:
    """A year with no schedule, assumed built to the template (see module docstring)."""

    academic_year: str
    pgy: int
    track: str
    weeks: int
    countable: float
    ambulatory: float
    inpatient: float
    clinic_weeks: float
    critical_care: float
    experiences: frozenset[str]


@dataclass(slots=True)
class Outlook:
    resident: ResidentFacts
    applies: bool  # residency-wide rules apply (planned training >= residency_years)
    prior_years: int  # training years before the first recorded year
    done: Counts
    planned: Counts
    estimates: tuple[Estimate, ...]
    experiences_done: frozenset[str]
    experiences_planned: frozenset[str]
    band_low: float  # ambulatory weeks the per-year track bands add up to, whole residency
    band_high: float

    @property
    def remaining_countable(self) -> float:
        return self.planned.countable + sum(e.countable for e in self.estimates)

    @property
    def total_countable(self) -> float:
        return self.done.countable + self.remaining_countable

    def assumed(self, attribute: str) -> float:
        return sum(getattr(e, attribute) for e in self.estimates)

    @property
    def experiences_assumed(self) -> frozenset[str]:
        return frozenset().union(*(e.experiences for e in self.estimates))


@dataclass(frozen=True, slots=True)
class Projection:
    """One residency-wide quantity: so far + scheduled + assumed, and room to change it."""

    so_far: float
    scheduled: float
    assumed: float
    room: float  # the most the remaining weeks could add
    remaining_weeks: float
    unscheduled_years: int

    @property
    def projected(self) -> float:
        return self.so_far + self.scheduled + self.assumed

    @property
    def planned(self) -> float:
        return self.scheduled + self.assumed

    def below(self, minimum: float) -> bool:
        return self.projected < minimum - EPSILON

    def unreachable(self, minimum: float) -> bool:
        return self.so_far + self.room < minimum - EPSILON

    def breakdown(self, unit: str) -> str:
        """'30 so far, 12 scheduled, 5 assumed for 1 unscheduled year' (unit after the first)."""
        parts = [f"{_num(self.so_far)} {unit} so far", f"{_num(self.scheduled)} scheduled"]
        if self.unscheduled_years:
            years = "year" if self.unscheduled_years == 1 else "years"
            parts.append(
                f"{_num(self.assumed)} assumed for {self.unscheduled_years} unscheduled {years}"
            )
        return ", ".join(parts)


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def build_outlook(scope, resident: ResidentFacts) -> Outlook:
    """Sum the resident's recorded years and estimate the unscheduled ones to graduation."""
    program: ProgramFacts = scope.program
    done, planned = Counts(), Counts()
    estimates: list[Estimate] = []
    experiences_done: set[str] = set()
    experiences_planned: set[str] = set()
    band_low = band_high = 0.0
    for resident_year in resident.years:
        tally = scope.tally(resident_year)
        if not tally.scheduled:
            estimate = estimate_year(
                program,
                academic_year=resident_year.academic_year,
                pgy=resident_year.pgy,
                track=resident_year.track,
                weeks=tally.year.weeks,
            )
            estimates.append(estimate)
            low, high = program.tracks.get(resident_year.track, (0.0, 1.0))
            band_low += low * estimate.countable
            band_high += high * estimate.countable
            continue
        done = done + tally.done
        planned = planned + tally.ahead
        experiences_done |= tally.experiences_done
        experiences_planned |= tally.experiences_ahead
        low, high = program.tracks.get(resident_year.track, (0.0, 1.0))
        countable = tally.total.countable
        band_low += low * countable
        band_high += high * countable
    implied = _implied_years(program, resident)
    for estimate in implied:
        estimates.append(estimate)
        low, high = program.tracks.get(estimate.track, (0.0, 1.0))
        band_low += low * estimate.countable
        band_high += high * estimate.countable
    prior_years = max(0, resident.years[0].pgy - 1) if resident.years else 0
    training_years = prior_years + len(resident.years) + len(implied)
    applies = bool(resident.years) and training_years >= program.settings.residency_years
    return Outlook(
        resident=resident,
        applies=applies,
        prior_years=prior_years,
        done=done,
        planned=planned,
        estimates=tuple(estimates),
        experiences_done=frozenset(experiences_done),
        experiences_planned=frozenset(experiences_planned) - experiences_done,
        band_low=band_low,
        band_high=band_high,
    )


def _implied_years(program: ProgramFacts, resident: ResidentFacts) -> list[Estimate]:
    """Years after the last recorded one up to graduation, which have no record yet.

    Without ``graduation_year`` the resident is assumed to graduate after PGY
    ``residency_years``. Year names must start with their first calendar year ("2027-2028").
    """
    if not resident.years:
        return []
    last = resident.years[-1]
    last_number = year_number(last.academic_year)
    if last_number is None:
        return []
    if resident.graduation_year is not None:
        graduation = year_number(resident.graduation_year)
        count = graduation - last_number if graduation is not None else 0
    else:
        count = program.settings.residency_years - last.pgy
    by_number = {year_number(y.name): y for y in program.years}
    implied = []
    for offset in range(1, max(0, count) + 1):
        number = last_number + offset
        known = by_number.get(number)
        implied.append(
            estimate_year(
                program,
                academic_year=known.name if known else f"{number}-{number + 1}",
                pgy=last.pgy + offset,
                track=last.track,
                weeks=known.weeks if known else 52,
            )
        )
    return implied


def estimate_year(
    program: ProgramFacts, *, academic_year: str, pgy: int, track: str, weeks: int
) -> Estimate:
    """An unscheduled year assumed built to the template and the yearly requirements."""
    settings = program.settings
    countable = float(max(0, weeks - settings.vacation_weeks_per_year))
    y_share = program.y_weeks / program.cycle
    low = program.tracks.get(track, (0.0, 1.0))[0]
    ambulatory = countable * min(1.0, max(y_share, low))
    critical_care_by_set: dict[frozenset[str], int] = {}
    experiences: set[str] = set()
    for requirement in program.requirements:
        if not requirement.applies_to(track, pgy) or not requirement.min_weeks:
            continue
        rotations = [program.rotations[c] for c in requirement.rotations if c in program.rotations]
        if not rotations:
            continue
        if all(r.is_critical_care for r in rotations):
            previous = critical_care_by_set.get(requirement.rotations, 0)
            critical_care_by_set[requirement.rotations] = max(previous, requirement.min_weeks)
        experiences |= frozenset.intersection(*(r.experiences for r in rotations))
    return Estimate(
        academic_year=academic_year,
        pgy=pgy,
        track=track,
        weeks=weeks,
        countable=countable,
        ambulatory=ambulatory,
        inpatient=countable - ambulatory,
        clinic_weeks=countable * y_share,
        critical_care=float(sum(critical_care_by_set.values())),
        experiences=frozenset(experiences),
    )
