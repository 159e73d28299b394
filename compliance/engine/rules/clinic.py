"""Continuity clinic half-day sessions (rule family 2).

Sessions = weeks on a continuity-clinic rotation x ``clinic_half_days_per_week``. Clinic
rotations belong to Y weeks, so the room left to add sessions is the resident's remaining Y
weeks that are not vacation or leave (for unscheduled years: the template's Y share).
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
    minimum_severity,
    num,
    plural,
    reference,
)
from compliance.engine.rules.projection import EPSILON, Outlook, Projection

CLINIC_RULE = "continuity_clinic_min_sessions"
CLINIC_PACE = "continuity_clinic_pace"
WEEKS_PER_YEAR = 52


def clinic_projection(program: ProgramFacts, outlook: Outlook) -> Projection:
    """Sessions so far, scheduled ahead and assumed for unscheduled years."""
    per_week = program.settings.clinic_half_days_per_week
    open_y_weeks = outlook.planned.open_y_weeks + outlook.assumed("clinic_weeks")
    return Projection(
        so_far=outlook.done.clinic_weeks * per_week,
        scheduled=outlook.planned.clinic_weeks * per_week,
        assumed=outlook.assumed("clinic_weeks") * per_week,
        room=open_y_weeks * per_week,
        remaining_weeks=outlook.remaining_countable,
        unscheduled_years=len(outlook.estimates),
    )


def continuity_clinic(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """ACGME IM Program Requirements IV.C.3 (verify against the 2022 revision): at least
    130 continuity-clinic half-day sessions over 36 months, checked as projected at
    graduation (sessions so far + the plan ahead + unscheduled years at the template)."""
    settings = program.settings
    minimum = settings.continuity_clinic_min_sessions
    findings = []
    for resident in residents:
        outlook = scope.outlook(resident)
        if not outlook.applies:
            continue
        projection = clinic_projection(program, outlook)
        severity = minimum_severity(outlook, projection, minimum)
        if severity is None:
            continue
        message = (
            f"Projected continuity clinic at graduation is {num(projection.projected)} "
            f"half-day sessions ({projection.breakdown('sessions')}), below the {minimum} "
            f"required."
        )
        needed = math.ceil(minimum - projection.so_far - EPSILON)
        room = projection.room
        if severity == INFO:
            first = resident.years[0].pgy
            message += f" Clinic before PGY-{first} is not recorded, so this cannot be confirmed."
        elif severity == CRITICAL:
            message += (
                f" It needs {needed} more, but the remaining Y weeks hold at most {num(room)}."
                if room > EPSILON
                else " No clinic weeks remain to make it up."
            )
        else:
            message += (
                f" It needs {needed} more in the remaining {num(projection.remaining_weeks)} "
                f"weeks (about {num(needed / settings.clinic_half_days_per_week)} clinic "
                f"weeks); the plan gives {num(projection.planned)}."
                if settings.clinic_half_days_per_week
                else f" It needs {needed} more."
            )
        findings.append(
            Finding(
                severity,
                CLINIC_RULE,
                reference(CLINIC_RULE),
                message,
                resident_id=resident.id,
                figure=round(projection.projected, 1),
                limit=f">= {minimum}",
            )
        )
    return findings


def clinic_pace_by_year(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """ACGME IM Program Requirements IV.C.3 (verify): a year's pace toward the 130 sessions.
    A built year below its share (130 / residency years, scaled to the year's length: a
    53-week year needs 53/52 of it) is reported as information; the requirement itself is
    judged residency-wide by ``continuity_clinic``."""
    settings = program.settings
    per_week = settings.clinic_half_days_per_week
    findings = []
    for resident in residents:
        if not scope.outlook(resident).applies:
            continue
        for tally in scope.scheduled_years(resident):
            pace = (
                settings.continuity_clinic_min_sessions
                / settings.residency_years
                * tally.year.weeks
                / WEEKS_PER_YEAR
            )
            clinic_weeks = tally.total.clinic_weeks
            sessions = clinic_weeks * per_week
            if sessions >= pace - EPSILON:
                continue
            findings.append(
                Finding(
                    INFO,
                    CLINIC_PACE,
                    reference(CLINIC_RULE),
                    f"{tally.academic_year} has {num(sessions)} continuity clinic sessions "
                    f"({plural(clinic_weeks, 'clinic week')} x {num(per_week)}), below the "
                    f"{num(pace)} a year that {settings.continuity_clinic_min_sessions} over "
                    f"{settings.residency_years} years needs.",
                    resident_id=resident.id,
                    academic_year=tally.academic_year,
                    figure=sessions,
                    limit=f">= {num(pace)} a year",
                )
            )
    return findings
