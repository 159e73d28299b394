"""Critical-care months across the residency (rule family 3).

Months = critical-care weeks / ``weeks_per_month`` (4 by default: a 4-week block is a month).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.rules.base import (
    CRITICAL,
    INFO,
    Finding,
    Scope,
    Severity,
    maximum_severity,
    minimum_severity,
    num,
    plural,
    reference,
)
from compliance.engine.rules.projection import EPSILON, Outlook, Projection

CC_MIN = "critical_care_min_months"
CC_MAX = "critical_care_max_months"


def critical_care_projection(outlook: Outlook) -> Projection:
    """Critical-care weeks so far, scheduled ahead and assumed (requirement minimums)."""
    return Projection(
        so_far=outlook.done.critical_care,
        scheduled=outlook.planned.critical_care,
        assumed=outlook.assumed("critical_care"),
        room=outlook.remaining_countable,
        remaining_weeks=outlook.remaining_countable,
        unscheduled_years=len(outlook.estimates),
    )


def critical_care(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """ACGME IM Program Requirements IV.C.3: critical-care experience of at least the
    program's minimum (3 months by default; 2 or 3 months — verify against the current ACGME
    text) and at most 6 months across the residency, projected at graduation."""
    settings = program.settings
    per_month = settings.weeks_per_month
    min_weeks = settings.critical_care_min_months * per_month
    max_weeks = settings.critical_care_max_months * per_month
    findings = []
    for resident in residents:
        outlook = scope.outlook(resident)
        if not outlook.applies:
            continue
        projection = critical_care_projection(outlook)
        months = projection.projected / per_month
        summary = (
            f"Projected critical care at graduation is {num(months)} months "
            f"({num(projection.projected)} weeks: {projection.breakdown('weeks')})"
        )
        severity = minimum_severity(outlook, projection, min_weeks)
        if severity is not None:
            limit_text = f">= {num(settings.critical_care_min_months)} months"
            message = f"{summary}, below the minimum of {limit_text[3:]} ({num(min_weeks)} weeks)."
            needed = math.ceil(min_weeks - projection.so_far - EPSILON)
            if severity == INFO:
                message += (
                    f" Training before PGY-{resident.years[0].pgy} is not recorded, "
                    "so this cannot be confirmed."
                )
            elif severity == CRITICAL:
                message += " Too few weeks remain to make it up."
            else:
                message += (
                    f" The remaining {num(projection.remaining_weeks)} weeks need at least "
                    f"{plural(needed, 'critical care week')}; the plan gives "
                    f"{num(projection.planned)}."
                )
            findings.append(_finding(severity, CC_MIN, resident, message, months, limit_text))
        severity = maximum_severity(projection, max_weeks)
        if severity is not None:
            limit_text = f"<= {num(settings.critical_care_max_months)} months"
            message = f"{summary}, above the maximum of {limit_text[3:]} ({num(max_weeks)} weeks)."
            if severity == CRITICAL:
                message += f" The {num(projection.so_far)} weeks already done exceed it."
            else:
                allowed = max(0, math.floor(max_weeks - projection.so_far + EPSILON))
                weeks = plural(allowed, "critical care week")
                message += (
                    f" The remaining weeks may hold at most {weeks}; "
                    f"the plan gives {num(projection.planned)}."
                )
            findings.append(_finding(severity, CC_MAX, resident, message, months, limit_text))
    return findings


def _finding(
    severity: Severity,
    rule_id: str,
    resident: ResidentFacts,
    message: str,
    months: float,
    limit: str,
) -> Finding:
    return Finding(
        severity,
        rule_id,
        reference(rule_id),
        message,
        resident_id=resident.id,
        figure=round(months, 2),
        limit=limit,
    )
