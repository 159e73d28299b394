"""Vacation allotment per academic year (rule family 7, with the run rules)."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.rules.base import INFO, WARNING, Finding, Scope, plural, reference

VACATION = "vacation_weeks_per_year"


def vacation_allotment(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (local): each resident takes the allotted vacation weeks each academic
    year (4 by default), no more and no fewer. Fewer in a draft year is information (requests
    may still come); otherwise a warning. Where the program has a yearly requirement on its
    vacation rotations for that track and PGY (e.g. Preliminary: 3 weeks), that requirement
    governs instead and is checked by the yearly requirements."""
    allotted = program.settings.vacation_weeks_per_year
    vacation_codes = frozenset(c for c, r in program.rotations.items() if r.is_vacation)
    governed = [
        r
        for r in program.requirements
        if r.rotations and r.rotations <= vacation_codes and (r.min_weeks or r.max_weeks)
    ]
    findings = []
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            facts = tally.facts
            if any(r.applies_to(facts.track, facts.pgy) for r in governed):
                continue
            taken = tally.total.vacation
            if taken == allotted:
                continue
            if taken > allotted:
                severity = WARNING
                gap = f"{taken - allotted} more than"
            else:
                severity = INFO if tally.year.status == "draft" else WARNING
                gap = f"{allotted - taken} fewer than"
            findings.append(
                Finding(
                    severity,
                    VACATION,
                    reference(VACATION),
                    f"{plural(taken, 'vacation week')} in {tally.academic_year}, {gap} the "
                    f"{allotted} allotted.",
                    resident_id=resident.id,
                    academic_year=tally.academic_year,
                    figure=float(taken),
                    limit=f"= {allotted} weeks",
                )
            )
    return findings
