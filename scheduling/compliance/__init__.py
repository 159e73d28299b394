"""The compliance rules engine: pure Python, no ORM.

A selector builds ``ProgramFacts`` and ``ResidentFacts``; ``evaluate`` returns a
``ComplianceReport``; ``report_as_dict`` / ``report_as_text`` render it.
"""

from scheduling.compliance.engine import (
    ComplianceReport,
    Figures,
    ResidentFigures,
    YearFigures,
    evaluate,
)
from scheduling.compliance.facts import (
    ProgramFacts,
    RequirementFacts,
    ResidentFacts,
    ResidentYearFacts,
    RotationFacts,
    StaffingFacts,
    YearFacts,
)
from scheduling.compliance.limits import LIMITS, ComplianceSettings, Limit
from scheduling.compliance.report import report_as_dict, report_as_text
from scheduling.compliance.rules import RULES, Finding, Scope

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
