"""The limits registry and a program's overrides."""

import pytest

from compliance.engine import LIMITS, ComplianceSettings


def test_every_limit_has_a_default_unit_description_and_source():
    for limit in LIMITS.values():
        assert limit.unit and limit.description and limit.source
        assert getattr(ComplianceSettings(), limit.id) == limit.default


def test_the_limits_domain_asks_us_to_verify_are_flagged():
    flagged = {limit.id for limit in LIMITS.values() if limit.verify}
    assert flagged == {
        "continuity_clinic_min_sessions",
        "critical_care_min_months",
        "required_experiences",
    }
    assert "verify against the current ACGME text" in LIMITS["critical_care_min_months"].reference


def test_the_defaults_are_the_acgme_and_program_figures():
    settings = ComplianceSettings.from_overrides({})
    assert settings.ambulatory_floor == settings.inpatient_floor == 1 / 3
    assert settings.continuity_clinic_min_sessions == 130
    assert (settings.critical_care_min_months, settings.critical_care_max_months) == (3, 6)
    assert settings.max_consecutive_intense_blocks == 2
    assert settings.vacation_weeks_per_year == 4
    assert "palliative_care" in settings.required_experiences


def test_a_program_overrides_a_default():
    settings = ComplianceSettings.from_overrides({"critical_care_min_months": 2})
    assert settings.critical_care_min_months == 2


def test_experience_tags_are_normalised():
    settings = ComplianceSettings.from_overrides(
        {"required_experiences": ["Palliative care", "addiction-medicine", "palliative_care"]}
    )
    assert settings.required_experiences == ("palliative_care", "addiction_medicine")


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"clinic_sessions": 130}, "clinic_sessions"),
        ({"ambulatory_floor": 1.5}, "ambulatory_floor"),
        ({"vacation_weeks_per_year": 2.5}, "vacation_weeks_per_year"),
        ({"vacation_weeks_per_year": True}, "vacation_weeks_per_year"),
        ({"weeks_per_month": 0}, "weeks_per_month"),
        ({"continuity_clinic_min_sessions": "130"}, "continuity_clinic_min_sessions"),
        ({"required_experiences": "geriatrics"}, "required_experiences"),
        ({"critical_care_min_months": 7}, "critical_care_min_months"),
    ],
)
def test_a_bad_override_is_refused_naming_the_key(overrides, key):
    with pytest.raises(ValueError, match=key):
        ComplianceSettings.from_overrides(overrides)
