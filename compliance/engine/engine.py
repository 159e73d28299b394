"""Run every compliance rule over a program's residents and gather the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.limits import ComplianceSettings
from compliance.engine.rules import RULES, Finding, Scope
from compliance.engine.rules.base import CRITICAL, INFO, WARNING
from compliance.engine.rules.clinic import clinic_projection
from compliance.engine.rules.critical_care import critical_care_projection
from compliance.engine.rules.tally import Counts


@dataclass(frozen=True, slots=True)
class Figures:
    """Week counts and shares over one span (a year, or the residency so far and planned)."""

    ambulatory_weeks: int
    inpatient_weeks: int  # includes critical care and inpatient electives
    critical_care_weeks: int
    vacation_weeks: int
    leave_weeks: int
    clinic_sessions: float
    ambulatory_share: float | None  # of ambulatory + inpatient weeks; None when there are none
    inpatient_share: float | None
    critical_care_months: float

    @classmethod
    def from_counts(cls, counts: Counts, settings: ComplianceSettings) -> Figures:
        countable = counts.countable
        return cls(
            ambulatory_weeks=counts.ambulatory,
            inpatient_weeks=counts.inpatient,
            critical_care_weeks=counts.critical_care,
            vacation_weeks=counts.vacation,
            leave_weeks=counts.leave,
            clinic_sessions=counts.clinic_weeks * settings.clinic_half_days_per_week,
            ambulatory_share=round(counts.ambulatory / countable, 4) if countable else None,
            inpatient_share=round(counts.inpatient / countable, 4) if countable else None,
            critical_care_months=round(counts.critical_care / settings.weeks_per_month, 2),
        )


@dataclass(frozen=True, slots=True)
class YearFigures:
    academic_year: str
    status: str  # "published" | "draft"
    pgy: int
    track: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class ResidentFigures:
    """A resident's figures per built year and for the whole recorded residency.

    ``cumulative`` covers every built year in full (done and planned weeks). The projected
    figures add unscheduled years up to graduation, assuming the template (see
    ``rules.projection``); they are None for residents the residency-wide rules skip.
    """

    resident_id: str
    name: str
    pgy: int
    track: str
    status: str
    years: tuple[YearFigures, ...]
    cumulative: Figures
    unscheduled_years: int
    projected_clinic_sessions: float | None
    projected_critical_care_months: float | None
    projected_ambulatory_share: float | None


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    as_of: date
    year: str | None
    program: str
    findings: tuple[Finding, ...]  # sorted by severity, resident, rule
    counts: dict[str, int]  # {"critical": n, "warning": n, "info": n}
    residents: tuple[ResidentFigures, ...]
    settings: ComplianceSettings

    def for_resident(self, resident_id: str) -> list[Finding]:
        return [f for f in self.findings if f.resident_id == resident_id]


def evaluate(
    program: ProgramFacts,
    residents: Sequence[ResidentFacts],
    *,
    year: str | None = None,
    as_of: date,
) -> ComplianceReport:
    """Evaluate every rule in ``rules.RULES``.

    ``year`` limits the per-year rules to one academic year (None: every year); the
    residency-wide rules (one-third floors, clinic sessions, critical care, experiences) are
    always projected to graduation as of ``as_of``. Pass the whole roster: staffing counts
    only the residents given. Raises ValueError for facts that do not fit together (an
    unknown rotation or academic year).
    """
    scope = Scope(program, as_of=as_of, year=year)
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(program, residents, scope))
    findings.sort(key=Finding.sort_key)
    counts = {CRITICAL: 0, WARNING: 0, INFO: 0}
    for finding in findings:
        counts[finding.severity] += 1
    return ComplianceReport(
        as_of=as_of,
        year=year,
        program=program.name,
        findings=tuple(findings),
        counts=counts,
        residents=tuple(resident_figures(program, resident, scope) for resident in residents),
        settings=program.settings,
    )


def resident_figures(
    program: ProgramFacts, resident: ResidentFacts, scope: Scope
) -> ResidentFigures:
    settings = program.settings
    years = []
    cumulative = Counts()
    for resident_year in resident.years:
        tally = scope.tally(resident_year)
        if not tally.scheduled:
            continue
        total = tally.total
        cumulative = cumulative + total
        years.append(
            YearFigures(
                academic_year=tally.academic_year,
                status=tally.year.status,
                pgy=resident_year.pgy,
                track=resident_year.track,
                figures=Figures.from_counts(total, settings),
            )
        )
    outlook = scope.outlook(resident)
    clinic = cc_months = amb_share = None
    if outlook.applies:
        clinic = round(clinic_projection(program, outlook).projected, 1)
        cc_months = round(critical_care_projection(outlook).projected / settings.weeks_per_month, 2)
        total = outlook.total_countable
        if total:
            projected = outlook.done.ambulatory + outlook.planned.ambulatory
            amb_share = round((projected + outlook.assumed("ambulatory")) / total, 4)
    return ResidentFigures(
        resident_id=resident.id,
        name=resident.name,
        pgy=resident.pgy,
        track=resident.track,
        status=resident.status,
        years=tuple(years),
        cumulative=Figures.from_counts(cumulative, settings),
        unscheduled_years=len(outlook.estimates),
        projected_clinic_sessions=clinic,
        projected_critical_care_months=cc_months,
        projected_ambulatory_share=amb_share,
    )
