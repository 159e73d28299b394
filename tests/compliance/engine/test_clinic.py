"""Continuity clinic sessions: counted per year, projected to graduation against 130."""

from datetime import date, timedelta

from compliance.engine import evaluate
from compliance.engine.rules import clinic_pace_by_year, continuity_clinic
from tests.compliance.engine.builders import (
    academic_year,
    program,
    repeat,
    resident,
    ryear,
    scope,
    years,
)

TEMPLATE = repeat("WARDS*3 CLINIC*2", 52)  # cohort 0: 20 clinic weeks
# Clinic in the Y weeks of the first 25 weeks only (weeks 3, 4, 8, 9, ... 24): 10 clinic
# weeks; the later Y weeks are ambulatory electives.
HALF_CLINIC = repeat("WARDS*3 CLINIC*2", 25) + repeat("WARDS*3 AMB*2", 27)
TENTH_WEEK = date(2027, 6, 28) + timedelta(weeks=10)  # weeks 0-9 of 2027-2028 are done


def clinic(facts, the_resident, as_of=None):
    return continuity_clinic(facts, [the_resident], scope(facts, as_of=as_of))


def test_three_clinic_weeks_of_two_half_days_each_are_six_sessions():
    facts = program(settings={"clinic_half_days_per_week": 2})
    report = evaluate(facts, [resident(ryear("CLINIC*3 WARDS*49"))], as_of=date(2028, 7, 1))
    assert report.residents[0].years[0].figures.clinic_sessions == 6


def test_a_first_year_resident_on_the_template_is_projected_well_above_130():
    facts = program()
    the_resident = resident(ryear(TEMPLATE, pgy=1))  # graduates after 2029-2030
    assert clinic(facts, the_resident, as_of=TENTH_WEEK) == []
    report = evaluate(facts, [the_resident], as_of=TENTH_WEEK)
    # 4 clinic weeks done (12 sessions) + 16 ahead (48) + 2 unscheduled years of
    # (52 - 4 vacation) x 2/5 = 19.2 clinic weeks x 3 = 57.6 each: 12 + 48 + 115.2 = 175.2.
    assert report.residents[0].projected_clinic_sessions == 175.2


def test_a_resident_behind_on_clinic_is_told_what_the_remaining_weeks_need():
    facts = program(academic_years=years("2026-2027", "2027-2028"))
    the_resident = resident(
        ryear(HALF_CLINIC, year="2026-2027", pgy=1),
        ryear(HALF_CLINIC, year="2027-2028", pgy=2),
    )
    [finding] = clinic(facts, the_resident, as_of=TENTH_WEEK)
    # 30 (last year) + 12 (weeks 0-9) so far = 42; 6 clinic weeks ahead = 18; one unscheduled
    # year assumed 57.6: projected 117.6. Needs 130 - 42 = 88; room: 16 open Y weeks x 3 = 48
    # plus 57.6 = 105.6, so it can still be reached.
    assert finding.severity == "warning"
    assert finding.figure == 117.6
    assert "42 sessions so far, 18 scheduled, 57.6 assumed for 1 unscheduled year" in (
        finding.message
    )
    assert "needs 88 more in the remaining 90 weeks" in finding.message
    assert "the plan gives 75.6" in finding.message


def test_a_shortfall_the_remaining_y_weeks_cannot_hold_is_critical():
    facts = program(academic_years=years("2025-2026", "2026-2027", "2027-2028"))
    the_resident = resident(
        ryear(HALF_CLINIC, year="2025-2026", pgy=1),
        ryear(HALF_CLINIC, year="2026-2027", pgy=2),
        ryear(HALF_CLINIC, year="2027-2028", pgy=3),
    )
    [finding] = clinic(facts, the_resident, as_of=TENTH_WEEK)
    # 30 + 30 + 12 = 72 so far; 130 - 72 = 58 needed; 16 open Y weeks x 3 = 48 at most.
    assert finding.severity == "critical"
    assert "needs 58 more, but the remaining Y weeks hold at most 48" in finding.message


def test_a_transfer_whose_first_year_is_not_recorded_cannot_be_confirmed():
    facts = program()
    the_resident = resident(ryear(HALF_CLINIC, pgy=2))
    [finding] = clinic(facts, the_resident, as_of=TENTH_WEEK)
    assert finding.severity == "info"
    assert "before PGY-2 is not recorded" in finding.message


def test_a_preliminary_intern_is_not_held_to_the_residency_minimum():
    facts = program()
    the_resident = resident(ryear("WARDS*52", track="PRE"), graduation="2027-2028")
    assert clinic(facts, the_resident) == []


def test_a_53_week_year_needs_a_little_more_than_a_third_of_130():
    facts = program(academic_years=(academic_year("2027-2028", weeks=53),))
    the_resident = resident(ryear("CLINIC*14 WARDS*39"))
    [finding] = clinic_pace_by_year(facts, [the_resident], scope(facts))
    # 14 clinic weeks x 3 = 42 sessions; 130 / 3 x 53 / 52 = 44.2 a year.
    assert (finding.severity, finding.figure) == ("info", 42)
    assert "below the 44.2 a year" in finding.message


def test_a_52_week_year_with_45_sessions_keeps_pace():
    facts = program()
    # 15 clinic weeks x 3 = 45 sessions, above 130 / 3 = 43.3.
    assert clinic_pace_by_year(facts, [resident(ryear("CLINIC*15 WARDS*37"))], scope(facts)) == []
