"""X+Y integrity: each rotation in the phase it belongs to (rule family 5)."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.limits import PROGRAM_RULE
from compliance.engine.rules.base import (
    CRITICAL,
    INFO,
    WARNING,
    Finding,
    Scope,
    describe_weeks,
    runs,
)
from scheduling.xy import rotation_fits_phase

XY_PHASE = "xy_phase"
XY_SOURCE = f"{PROGRAM_RULE} (X+Y template: no clinic in X weeks, inpatient work in X weeks)"
COHORT_MISSING = "xy_cohort_missing"


def xy_phase(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (X+Y block schedule; bundle spec ``phase``): an X-phase rotation only in
    the resident's X weeks and a Y-phase rotation only in Y weeks, the phase computed from
    the year's cohort by ``scheduling.xy``. Inpatient or critical care in a
    Y week and clinic in an X week break the X+Y promise and are critical; other phase
    mismatches are warnings. Phase-"any" rotations fit anywhere."""
    findings = []
    rotations = program.rotations
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            cohort = tally.facts.cohort
            if cohort is None:
                findings.append(_cohort_missing(resident.id, tally.academic_year))
                continue
            y_flags = program.y_week_flags(len(tally.facts.weeks), cohort)
            misplaced: dict[tuple[str, bool], list[int]] = {}
            for index, code in enumerate(tally.facts.weeks):
                if code is None:
                    continue
                in_y = y_flags[index]
                if not rotation_fits_phase(rotations[code].phase, in_y=in_y):
                    misplaced.setdefault((code, in_y), []).append(index)
            for (code, in_y), indices in misplaced.items():
                rotation = rotations[code]
                for weeks in runs(indices):
                    when = describe_weeks(tally.year, weeks)
                    if in_y and rotation.is_inpatient:
                        severity = CRITICAL
                        message = (
                            f"On {code} ({rotation.setting.replace('_', ' ')}) in Y weeks: "
                            f"{when}, when cohort {cohort} is in its ambulatory phase; inpatient "
                            "work belongs in X weeks."
                        )
                    elif not in_y and rotation.is_clinic:
                        severity = CRITICAL
                        message = (
                            f"In continuity clinic ({code}) during X weeks: {when}; cohort "
                            f"{cohort} has no clinic in its X weeks."
                        )
                    else:
                        severity = WARNING
                        message = (
                            f"{code} is an {rotation.phase.upper()}-phase rotation but falls in "
                            f"{'Y' if in_y else 'X'} weeks: {when} (cohort {cohort})."
                        )
                    findings.append(
                        Finding(
                            severity,
                            XY_PHASE,
                            XY_SOURCE,
                            message,
                            resident_id=resident.id,
                            rotation=code,
                            academic_year=tally.academic_year,
                            weeks=weeks,
                            figure=float(len(weeks)),
                            limit=f"{rotation.phase.upper()} weeks only",
                        )
                    )
    return findings


def _cohort_missing(resident_id: str, academic_year: str) -> Finding:
    return Finding(
        INFO,
        COHORT_MISSING,
        XY_SOURCE,
        f"No cohort is set for {academic_year}, so the X+Y phase of its weeks cannot be checked.",
        resident_id=resident_id,
        academic_year=academic_year,
    )
