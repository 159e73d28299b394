"""What each compliance rule and limit is called on the pages, in a program director's words.

The engine names its rules and limits by id (``critical_care_min_months``, ``xy_phase``);
those ids are for the data and the API. Pages show the title and the one-line explanation
below, and the rule's reference (ACGME or program rule) in small type. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleText:
    title: str
    explanation: str


RULES: dict[str, RuleText] = {
    "ambulatory_floor": RuleText(
        "At least one-third ambulatory",
        "Across the residency, at least a third of the weeks that count are in clinics and "
        "other ambulatory settings.",
    ),
    "inpatient_floor": RuleText(
        "At least one-third inpatient",
        "Across the residency, at least a third of the weeks that count are on inpatient "
        "services, critical care included.",
    ),
    "track_band": RuleText(
        "Ambulatory share within the track's target (this year)",
        "Each track sets a band for the share of ambulatory weeks; this year's share is "
        "checked against it.",
    ),
    "track_band_residency": RuleText(
        "Ambulatory share within the track's target (whole residency)",
        "The share of ambulatory weeks over the whole residency, projected to graduation, "
        "against the track's band.",
    ),
    "continuity_clinic_min_sessions": RuleText(
        "Enough continuity-clinic sessions",
        "Each resident attends at least the required number of continuity-clinic half-days "
        "by graduation.",
    ),
    "continuity_clinic_pace": RuleText(
        "Continuity clinic on pace",
        "This year's clinic sessions keep the resident on course for the graduation total.",
    ),
    "critical_care_min_months": RuleText(
        "Enough critical care",
        "Each resident spends at least the minimum number of months in critical care by "
        "graduation.",
    ),
    "critical_care_max_months": RuleText(
        "Not too much critical care",
        "No resident spends more than the maximum number of months in critical care.",
    ),
    "yearly_requirement": RuleText(
        "Yearly rotation requirement",
        "The weeks a resident of this PGY level and track must spend on a rotation each year.",
    ),
    "required_experiences": RuleText(
        "Required experiences",
        "Every categorical resident has at least one week of each required experience "
        "(geriatrics, palliative care, addiction medicine, emergency medicine, neurology).",
    ),
    "required_experience_not_offered": RuleText(
        "Required experience not offered",
        "No rotation is marked as providing a required experience, so nobody can be shown "
        "to have it.",
    ),
    "xy_phase": RuleText(
        "Right phase of the X+Y cycle",
        "Inpatient rotations fall in X weeks and clinic rotations in Y weeks; no clinic "
        "during X weeks.",
    ),
    "xy_cohort_missing": RuleText(
        "Resident without an X+Y cohort",
        "A resident has no cohort, so their X and Y weeks cannot be checked.",
    ),
    "staffing_min": RuleText(
        "Service short-staffed",
        "A service has fewer residents of the required levels than its weekly minimum.",
    ),
    "staffing_max": RuleText(
        "Service over-staffed",
        "A service has more residents than its weekly maximum.",
    ),
    "max_consecutive_intense_blocks": RuleText(
        "Too many intense blocks in a row",
        "No more than the allowed number of X blocks in a row with ICU or night rotations.",
    ),
    "max_consecutive_weeks": RuleText(
        "Rotation run too long",
        "A resident stays on one rotation longer than the rotation allows in a row.",
    ),
    "min_run_weeks": RuleText(
        "Rotation stint too short",
        "A resident's stint on a rotation is shorter than the rotation's minimum.",
    ),
    "vacation_weeks_per_year": RuleText(
        "Vacation allotment",
        "The vacation weeks scheduled in a year match the weeks each resident is allotted.",
    ),
}

#: Limits that are not the id of a rule, with the title a person reads for them.
LIMIT_TITLES: dict[str, str] = {
    "clinic_half_days_per_week": "Clinic half-days per Y week",
    "residency_years": "Length of the residency",
    "weeks_per_month": "Weeks counted as a month",
    "continuity_clinic_min_sessions": "Continuity-clinic sessions by graduation",
    "critical_care_min_months": "Critical care, minimum",
    "critical_care_max_months": "Critical care, maximum",
    "ambulatory_floor": "Ambulatory share, minimum",
    "inpatient_floor": "Inpatient share, minimum",
    "max_consecutive_intense_blocks": "Intense blocks in a row, maximum",
    "vacation_weeks_per_year": "Vacation weeks per year",
    "required_experiences": "Required experiences",
}

_FALLBACK = RuleText("Compliance rule", "")


def rule_text(rule_id: str) -> RuleText:
    """The title and explanation of `rule_id`; an id unknown here reads "Compliance rule"
    (never the id itself)."""
    return RULES.get(rule_id, _FALLBACK)


def rule_title(rule_id: str) -> str:
    return rule_text(rule_id).title


def limit_title(limit_id: str) -> str:
    """The title of a limit of `compliance.engine.limits.LIMITS`."""
    return LIMIT_TITLES.get(limit_id) or rule_title(limit_id)


_QUOTED_ID = re.compile(r"'([a-z_]+)'")


def humanize_ids(text: str) -> str:
    """`text` with every quoted limit id ('critical_care_min_months') replaced by its
    title, for messages the engine words with ids (settings errors)."""

    def swap(match: re.Match) -> str:
        key = match.group(1)
        if key in LIMIT_TITLES or key in RULES:
            return f"“{limit_title(key)}”"
        return match.group(0)

    return _QUOTED_ID.sub(swap, text)


def short_detail(message: str, limit: int = 150) -> str:
    """The first sentence of a finding's message, cut at a word under `limit` characters;
    the whole message stays one click away (details/summary)."""
    first = re.split(r"(?<=[.;])\s", message.strip(), maxsplit=1)[0].rstrip(";")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def limit_in_words(limit: str) -> str:
    """A finding's limit as a reader writes it: "≥ 3 months" rather than the engine's
    ">= 3 months" (the stored text, and what the API and exports give, stay unchanged)."""
    return limit.replace(">=", "≥").replace("<=", "≤")
