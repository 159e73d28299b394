"""The compliance rules engine: pure Python, no ORM.

A selector builds ``ProgramFacts`` and ``ResidentFacts``; ``evaluate`` returns a
``ComplianceReport``; ``report_as_dict`` / ``report_as_text`` render it.
"""

from compliance.engine.engine import (
    ComplianceReport,
    Figures,
    ResidentFigures,
    YearFigures,
    evaluate,
)
from compliance.engine.facts import (
    ProgramFacts,
    RequirementFacts,
    ResidentFacts,
    ResidentYearFacts,
    RotationFacts,
    StaffingFacts,
    YearFacts,
)
from compliance.engine.limits import LIMITS, ComplianceSettings, Limit
from compliance.engine.report import report_as_dict, report_as_text
from compliance.engine.rules import RULES, Finding, Scope

__all__ = [
    "LIMITS",
    "RULES",
    "ComplianceReport",
    "ComplianceSettings",
    "Figures",
    "Finding",
    "Limit",
    "ProgramFacts",
    "RequirementFacts",
    "ResidentFacts",
    "ResidentFigures",
    "ResidentYearFacts",
    "RotationFacts",
    "Scope",
    "StaffingFacts",
    "YearFacts",
    "YearFigures",
    "evaluate",
    "report_as_dict",
    "report_as_text",
]
