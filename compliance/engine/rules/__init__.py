"""The compliance rules, one module per family. Each rule is a function
``(program, residents, scope) -> list[Finding]``; ``RULES`` is the order the engine runs them.
"""

from compliance.engine.rules.balance import (
    acgme_floors,
    track_band_by_year,
    track_band_residency,
)
from compliance.engine.rules.base import Finding, Scope, Severity
from compliance.engine.rules.clinic import clinic_pace_by_year, continuity_clinic
from compliance.engine.rules.critical_care import critical_care
from compliance.engine.rules.phase import xy_phase
from compliance.engine.rules.requirements import required_experiences, yearly_requirements
from compliance.engine.rules.runs import intense_blocks, rotation_runs
from compliance.engine.rules.staffing import staffing
from compliance.engine.rules.vacation import vacation_allotment

RULES = (
    track_band_by_year,
    acgme_floors,
    track_band_residency,
    continuity_clinic,
    clinic_pace_by_year,
    critical_care,
    yearly_requirements,
    required_experiences,
    xy_phase,
    staffing,
    intense_blocks,
    rotation_runs,
    vacation_allotment,
)

__all__ = [
    "RULES",
    "Finding",
    "Scope",
    "Severity",
    "acgme_floors",
    "clinic_pace_by_year",
    "continuity_clinic",
    "critical_care",
    "intense_blocks",
    "required_experiences",
    "rotation_runs",
    "staffing",
    "track_band_by_year",
    "track_band_residency",
    "vacation_allotment",
    "xy_phase",
    "yearly_requirements",
]
