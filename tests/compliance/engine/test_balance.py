"""Ambulatory and inpatient shares: per-year track band, and the residency-wide floors."""

from datetime import date

from compliance.engine.rules import acgme_floors, track_band_by_year, track_band_residency
from tests.compliance.engine.builders import (
    program,
    repeat,
    resident,
    ryear,
    scope,
    with_weeks,
    years,
)

TEMPLATE = repeat("WARDS*3 CLINIC*2", 52)  # cohort 0: 20 Y weeks (clinic), 32 X weeks
THREE_YEARS = years("2025-2026", "2026-2027", "2027-2028")
YEAR_3_START = date(2027, 6, 28)


def band(facts, *resident_years):
    return track_band_by_year(facts, [resident(*resident_years)], scope(facts))


def test_a_categorical_template_year_sits_inside_the_categorical_band():
    # 20 ambulatory of 52 weeks = 38.5%, inside 34%-50%.
    assert band(program(), ryear(TEMPLATE, track="CAT")) == []


def test_a_primary_care_template_year_falls_below_its_band_and_says_how_many_weeks_to_move():
    [finding] = band(program(), ryear(TEMPLATE, track="PC"))
    # 20 of 52 = 38.5%; 50% of 52 = 26 ambulatory weeks, so 6 weeks move.
    assert finding.figure == round(20 / 52, 4)
    assert finding.limit == "50%–60%"
    assert "38.5% (20 of 52 weeks" in finding.message
    assert "moving 6 weeks from inpatient to ambulatory" in finding.message


def test_vacation_in_y_weeks_leaves_the_denominator():
    weeks = with_weeks(TEMPLATE, {3: "VAC", 4: "VAC"})
    [finding] = band(program(), ryear(weeks, track="PC"))
    # 18 ambulatory, 32 inpatient: 18 of 50 = 36%; 25 needed, so 7 weeks move.
    assert "36% (18 of 50 weeks" in finding.message
    assert "moving 7 weeks" in finding.message


def test_leave_weeks_are_not_counted():
    weeks = with_weeks(TEMPLATE, {0: None, 1: None})
    [finding] = band(program(), ryear(weeks, track="PC"))
    # 20 ambulatory, 30 inpatient: 20 of 50 = 40%.
    assert finding.figure == 0.4


def test_too_much_ambulatory_time_is_above_the_band():
    [finding] = band(program(), ryear("AMB*30 WARDS*22", track="CAT"))
    # 30 of 52 = 57.7%; 50% of 52 = 26, so 4 weeks move back to inpatient.
    assert "57.7%" in finding.message and "above" in finding.message
    assert "moving 4 weeks from ambulatory to inpatient" in finding.message


def test_a_resident_who_changes_track_is_held_to_each_years_own_band():
    facts = program(academic_years=years("2027-2028", "2028-2029"))
    findings = band(
        facts,
        ryear(TEMPLATE, year="2027-2028", pgy=1, track="CAT"),
        ryear(TEMPLATE, year="2028-2029", pgy=2, track="PC"),
    )
    assert [(f.academic_year, f.limit) for f in findings] == [("2028-2029", "50%–60%")]


def floors(facts, *resident_years, as_of=None):
    return acgme_floors(facts, [resident(*resident_years)], scope(facts, as_of=as_of))


def three_years(first, second, third, track="CAT"):
    return [
        ryear(first, year="2025-2026", pgy=1, track=track),
        ryear(second, year="2026-2027", pgy=2, track=track),
        ryear(third, year="2027-2028", pgy=3, track=track),
    ]


def test_a_finished_residency_below_one_third_ambulatory_is_critical():
    facts = program(academic_years=THREE_YEARS)
    [finding] = floors(facts, *three_years(*["AMB*15 WARDS*37"] * 3))
    # 3 x 15 = 45 ambulatory of 156 weeks = 28.8%.
    assert (finding.severity, finding.rule_id) == ("critical", "ambulatory_floor")
    assert finding.figure == round(45 / 156, 4)
    assert "No weeks remain" in finding.message


def test_exactly_one_third_ambulatory_meets_the_floor():
    facts = program(academic_years=THREE_YEARS)
    # 52 ambulatory of 156 weeks is exactly one-third; 104 inpatient is two-thirds.
    assert floors(facts, *three_years("AMB*52", "WARDS*52", "WARDS*52")) == []


def test_a_heavily_ambulatory_residency_breaks_the_inpatient_floor():
    facts = program(academic_years=THREE_YEARS)
    [finding] = floors(facts, *three_years(*["AMB*36 WARDS*16"] * 3, track="PC"))
    # 3 x 16 = 48 inpatient of 156 = 30.8%.
    assert (finding.rule_id, finding.figure) == ("inpatient_floor", round(48 / 156, 4))


def test_a_resident_at_risk_is_told_how_many_ambulatory_weeks_the_last_year_needs():
    facts = program(academic_years=THREE_YEARS)
    resident_years = three_years("AMB*10 WARDS*42", "AMB*10 WARDS*42", "AMB*20 WARDS*32")
    [finding] = floors(facts, *resident_years, as_of=YEAR_3_START)
    # One-third of 156 = 52; 20 so far, so the last 52 weeks need 32; the plan has 20.
    assert finding.severity == "warning"
    assert "40 of 156 weeks: 20 weeks so far, 20 scheduled" in finding.message
    assert "need at least 32 ambulatory weeks; the plan gives 20" in finding.message


def test_a_shortfall_the_remaining_weeks_cannot_close_is_critical():
    facts = program(academic_years=THREE_YEARS)
    resident_years = three_years("WARDS*52", "WARDS*52", "-*2 WARDS*50")
    [finding] = floors(facts, *resident_years, as_of=YEAR_3_START)
    # 154 countable weeks need 51.3 ambulatory; none so far and only 50 remain.
    assert (finding.severity, finding.rule_id) == ("critical", "ambulatory_floor")
    assert "Even with all 50 remaining weeks ambulatory" in finding.message


def test_the_residency_wide_band_weighs_each_years_track():
    facts = program(academic_years=THREE_YEARS)
    resident_years = [
        ryear("AMB*20 WARDS*32", year="2025-2026", pgy=1, track="CAT"),
        ryear("AMB*26 WARDS*26", year="2026-2027", pgy=2, track="PC"),
        ryear("AMB*20 WARDS*32", year="2027-2028", pgy=3, track="PC"),
    ]
    [finding] = track_band_residency(
        facts, [resident(*resident_years)], scope(facts, as_of=YEAR_3_START)
    )
    # Band floor: 0.34 x 52 + 0.5 x 104 = 69.68 weeks of 156 (44.7%); ceiling 26 + 62.4 =
    # 88.4 (56.7%). 46 so far, so the last year needs 24 ambulatory weeks; the plan has 20.
    assert finding.limit == "44.7%–56.7%"
    assert "need at least 24 ambulatory weeks (the plan gives 20)" in finding.message


def test_the_residency_wide_band_is_not_repeated_once_no_weeks_remain():
    facts = program(academic_years=THREE_YEARS)
    resident_years = three_years(TEMPLATE, TEMPLATE, TEMPLATE, track="PC")
    assert track_band_residency(facts, [resident(*resident_years)], scope(facts)) == []
