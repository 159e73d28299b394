"""Every limit the compliance engine checks, with its default, unit and source.

A program overrides defaults with a plain dict (``ComplianceSettings.from_overrides``); the
report shows each limit's source so a program director can check it. Limits marked
``verify`` are the ones DOMAIN.md asks us to confirm against the current ACGME text.

Conventions chosen here (and why):

* ``clinic_half_days_per_week`` = 3. ACGME asks for continuity clinic "at least one half-day
  a week" and 130 sessions over 36 months (about 0.83 a week over 156 weeks). In a 3+2
  template a resident is in the Y phase 2 weeks in 5, so one half-day a week equals 2.5
  half-days per Y week; 2 per Y week would fall short by design (about 125 sessions before
  any vacation). 3 is the smallest whole number at which the flagship template clears 130
  with vacation taken. A 4+1 program, with one Y week in five, should set about 5.
* ``weeks_per_month`` = 4. Block schedules count a 4-week block as a month (13 a year), so
  "3 months of critical care" means 12 weeks and "6 months" means 24. A program that counts
  calendar months sets 4.345.
* ``max_consecutive_intense_blocks`` = 2. A *block* is one X phase of the resident's X+Y
  cycle (the 3 X weeks of a 3+2 cycle), not a week: intense rotations such as the ICU run 3
  weeks at a stretch by design, so a 2-week limit would flag every ICU stint. A block is
  intense when any of its weeks is on an intense rotation (ICU, nights).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

ACGME_IM = "ACGME IM Program Requirements"
PROGRAM_RULE = "Program rule"


@dataclass(frozen=True, slots=True)
class Limit:
    """One configurable limit: what it is, its default and where it comes from."""

    id: str
    default: object
    unit: str
    description: str
    source: str
    verify: bool = False

    @property
    def reference(self) -> str:
        """The source as shown on a finding, flagged when it still needs checking."""
        if self.verify:
            return f"{self.source} (verify against the current ACGME text)"
        return self.source


_EXPERIENCES = (
    "geriatrics",
    "palliative_care",
    "addiction_medicine",
    "emergency_medicine",
    "neurology",
)

LIMITS: dict[str, Limit] = {
    limit.id: limit
    for limit in (
        Limit(
            "ambulatory_floor",
            1 / 3,
            "share of weeks",
            "At least one-third of training in ambulatory settings (vacation and leave "
            "weeks left out of the denominator).",
            f"{ACGME_IM} IV.C.3 (one-third ambulatory)",
        ),
        Limit(
            "inpatient_floor",
            1 / 3,
            "share of weeks",
            "At least one-third of training in inpatient settings (inpatient, critical "
            "care and inpatient electives).",
            f"{ACGME_IM} IV.C.3 (one-third inpatient)",
        ),
        Limit(
            "clinic_half_days_per_week",
            3,
            "half-day sessions per clinic week",
            "Continuity-clinic half-day sessions a resident attends in one week on a "
            "continuity-clinic rotation (a Y week).",
            f"{PROGRAM_RULE} (X+Y template; 3 per Y week keeps a 3+2 template above 130)",
        ),
        Limit(
            "continuity_clinic_min_sessions",
            130,
            "half-day sessions",
            "At least 130 continuity-clinic half-day sessions over 36 months, checked as "
            "projected at graduation.",
            f"{ACGME_IM} IV.C.3 (continuity clinic, 2022 revision)",
            verify=True,
        ),
        Limit(
            "residency_years",
            3,
            "years",
            "Length of the categorical residency; residency-wide rules (clinic sessions, "
            "critical care, experiences, one-third floors) apply to residents planned to "
            "train at least this long.",
            f"{ACGME_IM} Int.C (36 months)",
        ),
        Limit(
            "critical_care_min_months",
            3,
            "months",
            "Minimum critical-care experience across the residency.",
            f"{ACGME_IM} IV.C.3 (critical care minimum)",
            verify=True,
        ),
        Limit(
            "critical_care_max_months",
            6,
            "months",
            "Maximum critical-care experience across the residency.",
            f"{ACGME_IM} IV.C.3 (critical care maximum)",
        ),
        Limit(
            "weeks_per_month",
            4.0,
            "weeks",
            "Weeks counted as one month when converting critical-care weeks to months "
            "(4 = a 4-week block; 4.345 = a calendar month).",
            "Program convention",
        ),
        Limit(
            "max_consecutive_intense_blocks",
            2,
            "X blocks",
            "No more than this many consecutive X blocks with an intense rotation (ICU, "
            "nights); a block is one X phase of the resident's X+Y cycle.",
            PROGRAM_RULE,
        ),
        Limit(
            "vacation_weeks_per_year",
            4,
            "weeks",
            "Vacation weeks each resident is allotted per academic year.",
            PROGRAM_RULE,
        ),
        Limit(
            "required_experiences",
            _EXPERIENCES,
            "experience tags",
            "Experiences every categorical resident must have at least one week of, met "
            "by any rotation tagged with the experience.",
            f"{ACGME_IM} IV.C.3 (required experiences)",
            verify=True,
        ),
    )
}

_SHARES = ("ambulatory_floor", "inpatient_floor")
_COUNTS = (
    "continuity_clinic_min_sessions",
    "residency_years",
    "max_consecutive_intense_blocks",
    "vacation_weeks_per_year",
)
_POSITIVE = ("critical_care_min_months", "critical_care_max_months", "weeks_per_month")


@dataclass(frozen=True, slots=True)
class ComplianceSettings:
    """The limits in force for one program: defaults plus the program's overrides."""

    ambulatory_floor: float = LIMITS["ambulatory_floor"].default
    inpatient_floor: float = LIMITS["inpatient_floor"].default
    clinic_half_days_per_week: float = LIMITS["clinic_half_days_per_week"].default
    continuity_clinic_min_sessions: int = LIMITS["continuity_clinic_min_sessions"].default
    residency_years: int = LIMITS["residency_years"].default
    critical_care_min_months: float = LIMITS["critical_care_min_months"].default
    critical_care_max_months: float = LIMITS["critical_care_max_months"].default
    weeks_per_month: float = LIMITS["weeks_per_month"].default
    max_consecutive_intense_blocks: int = LIMITS["max_consecutive_intense_blocks"].default
    vacation_weeks_per_year: int = LIMITS["vacation_weeks_per_year"].default
    required_experiences: tuple[str, ...] = LIMITS["required_experiences"].default

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, object] | None = None) -> ComplianceSettings:
        """Defaults updated with ``overrides``; raises ValueError naming a bad key."""
        values: dict[str, object] = {}
        for key, value in (overrides or {}).items():
            if key not in LIMITS:
                known = ", ".join(sorted(LIMITS))
                raise ValueError(f"Unknown compliance setting {key!r}; known settings: {known}")
            values[key] = _clean(key, value)
        settings = replace(cls(), **values)
        if settings.critical_care_min_months > settings.critical_care_max_months:
            raise ValueError(
                "Compliance setting 'critical_care_min_months' "
                f"({settings.critical_care_min_months}) exceeds 'critical_care_max_months' "
                f"({settings.critical_care_max_months})"
            )
        return settings

    def value(self, limit_id: str) -> object:
        return getattr(self, limit_id)

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _clean(key: str, value: object) -> object:
    """Validate one override; the error names the key and what was expected."""
    if key == "required_experiences":
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            raise ValueError(f"Compliance setting {key!r} must be a list of experience tags")
        tags = []
        for tag in value:
            if not isinstance(tag, str) or not tag.strip():
                raise ValueError(f"Compliance setting {key!r} has a blank or non-text tag")
            tags.append(normalise_tag(tag))
        return tuple(dict.fromkeys(tags))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"Compliance setting {key!r} must be a number, got {value!r}")
    if key in _SHARES and not 0 <= value <= 1:
        raise ValueError(f"Compliance setting {key!r} must be a share between 0 and 1")
    if key in _COUNTS and (value < 0 or int(value) != value):
        raise ValueError(f"Compliance setting {key!r} must be a whole number >= 0")
    if key == "clinic_half_days_per_week" and value < 0:
        raise ValueError(f"Compliance setting {key!r} must be >= 0")
    if key in _POSITIVE and value <= 0:
        raise ValueError(f"Compliance setting {key!r} must be greater than 0")
    return int(value) if key in _COUNTS else value


def normalise_tag(tag: str) -> str:
    """'Palliative care' -> 'palliative_care', the form rotations are tagged with."""
    return "_".join(tag.strip().lower().replace("-", " ").split())


def describe_tag(tag: str) -> str:
    return tag.replace("_", " ")
