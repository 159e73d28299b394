"""Weekly staffing of each service by PGY group (rule family 6)."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts, StaffingFacts, YearFacts
from compliance.engine.limits import PROGRAM_RULE
from compliance.engine.rules.base import CRITICAL, WARNING, Finding, Scope, describe_weeks, runs

STAFFING_GAP = "staffing_min"
STAFFING_EXCESS = "staffing_max"
STAFFING_SOURCE = f"{PROGRAM_RULE} (weekly staffing per rotation and PGY group)"


def staffing(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (bundle spec, rotation ``staffing``): every week of a built year, each
    rotation has between ``min`` and ``max`` residents of the group's PGY levels. Leave weeks
    count for nobody. Understaffing is critical (a service is short); overstaffing is a
    warning. Consecutive weeks with the same problem are reported as one finding.

    Counts only the residents passed in, so callers pass the whole program's roster."""
    per_year: dict[str, list[dict[tuple[str, int], int]]] = {}
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            weeks = per_year.get(tally.academic_year)
            if weeks is None:
                weeks = per_year[tally.academic_year] = [{} for _ in range(tally.year.weeks)]
            pgy = tally.facts.pgy
            for index, code in enumerate(tally.facts.weeks):
                if code is not None:
                    counts = weeks[index]
                    key = (code, pgy)
                    counts[key] = counts.get(key, 0) + 1
    years = [y for y in program.years if scope.in_scope(y.name) and y.status != "none"]
    findings = []
    for year in years:
        weeks = per_year.get(year.name) or [{} for _ in range(year.weeks)]
        for rotation in program.rotations.values():
            for rule in rotation.staffing:
                findings += _check_group(year, rotation.code, rule, weeks)
    return findings


def _check_group(
    year: YearFacts, code: str, rule: StaffingFacts, weeks: list[dict[tuple[str, int], int]]
) -> list[Finding]:
    levels = sorted(rule.pgy)
    counts = [sum(week.get((code, level), 0) for level in levels) for week in weeks]
    group = "PGY-" + "/".join(str(level) for level in levels)
    limit = _limit_text(group, rule)
    findings = []
    if rule.min is not None:
        short = [i for i, count in enumerate(counts) if count < rule.min]
        for run in runs(short):
            findings.append(
                _finding(CRITICAL, STAFFING_GAP, year, code, run, counts, group, limit, rule)
            )
    if rule.max is not None:
        over = [i for i, count in enumerate(counts) if count > rule.max]
        for run in runs(over):
            findings.append(
                _finding(WARNING, STAFFING_EXCESS, year, code, run, counts, group, limit, rule)
            )
    return findings


def _finding(
    severity, rule_id, year, code, run, counts, group, limit, rule: StaffingFacts
) -> Finding:
    values = [counts[i] for i in run]
    low, high = min(values), max(values)
    spread = str(low) if low == high else f"{low}–{high}"
    residents = "resident" if spread == "1" else "residents"
    if rule_id == STAFFING_GAP:
        need, figure = f"needs at least {rule.min}", low
    else:
        need, figure = f"allows at most {rule.max}", high
    return Finding(
        severity,
        rule_id,
        STAFFING_SOURCE,
        f"{code} has {spread} {group} {residents} in {describe_weeks(year, run)}; it {need}.",
        rotation=code,
        academic_year=year.name,
        weeks=run,
        figure=float(figure),
        limit=limit,
    )


def _limit_text(group: str, rule: StaffingFacts) -> str:
    if rule.min is not None and rule.max is not None:
        return f"{group}: {rule.min}–{rule.max}"
    if rule.min is not None:
        return f"{group}: >= {rule.min}"
    return f"{group}: <= {rule.max}"
