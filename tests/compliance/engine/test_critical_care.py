"""Critical care months across the residency: minimum (verify) and 6-month maximum."""

from datetime import date, timedelta

from compliance.engine.rules import critical_care
from tests.compliance.engine.builders import (
    program,
    requirement,
    resident,
    ryear,
    scope,
    years,
)

THREE_YEARS = years("2025-2026", "2026-2027", "2027-2028")
YEAR_3_START = date(2027, 6, 28)


def residency(first, second, third):
    return resident(
        ryear(first, year="2025-2026", pgy=1),
        ryear(second, year="2026-2027", pgy=2),
        ryear(third, year="2027-2028", pgy=3),
    )


def check(facts, the_resident, as_of=None):
    return critical_care(facts, [the_resident], scope(facts, as_of=as_of))


def test_twelve_icu_weeks_are_exactly_three_months():
    facts = program(academic_years=THREE_YEARS)
    # 3 x 4 weeks = 12 weeks / 4 weeks a month = 3 months.
    assert check(facts, residency(*["ICU*4 WARDS*48"] * 3)) == []


def test_a_finished_residency_with_two_months_of_icu_is_critical():
    facts = program(academic_years=THREE_YEARS)
    [finding] = check(facts, residency("ICU*4 WARDS*48", "ICU*4 WARDS*48", "WARDS*52"))
    # 8 weeks / 4 = 2 months, below 3.
    assert (finding.severity, finding.rule_id, finding.figure) == (
        "critical",
        "critical_care_min_months",
        2.0,
    )
    assert finding.limit == ">= 3 months"
    assert "verify" in finding.reference


def test_icu_weeks_already_done_beyond_six_months_are_critical():
    facts = program(academic_years=THREE_YEARS)
    [finding] = check(facts, residency("ICU*9 WARDS*43", "ICU*9 WARDS*43", "ICU*8 WARDS*44"))
    # 9 + 9 + 8 = 26 weeks = 6.5 months, above 6.
    assert (finding.severity, finding.rule_id, finding.figure) == (
        "critical",
        "critical_care_max_months",
        6.5,
    )
    assert "The 26 weeks already done exceed it" in finding.message


def test_a_plan_that_would_pass_six_months_is_a_warning_with_the_weeks_allowed():
    facts = program(academic_years=THREE_YEARS)
    the_resident = residency("ICU*10 WARDS*42", "ICU*10 WARDS*42", "ICU*8 WARDS*44")
    [finding] = check(facts, the_resident, as_of=YEAR_3_START)
    # 20 done + 8 planned = 28 weeks = 7 months; 24 - 20 = 4 weeks may remain.
    assert (finding.severity, finding.figure) == ("warning", 7.0)
    assert "at most 4 critical care weeks; the plan gives 8" in finding.message


def test_a_program_counting_calendar_months_needs_thirteen_weeks():
    facts = program(academic_years=THREE_YEARS, settings={"weeks_per_month": 4.345})
    [finding] = check(facts, residency(*["ICU*4 WARDS*48"] * 3))
    # 12 / 4.345 = 2.76 months; the minimum is 3 x 4.345 = 13.0 weeks.
    assert finding.figure == 2.76
    assert "(13 weeks)" in finding.message


def test_a_first_year_resident_is_projected_with_the_yearly_icu_requirement():
    facts = program(requirements=[requirement("ICU", min_weeks=3, max_weeks=6)])
    the_resident = resident(ryear("WARDS*20 ICU*4 WARDS*28", pgy=1))
    as_of = date(2027, 6, 28) + timedelta(weeks=10)
    [finding] = check(facts, the_resident, as_of=as_of)
    # 4 ICU weeks ahead this year + 3 assumed in each of 2 unscheduled years = 10 weeks
    # = 2.5 months; 12 weeks are needed and every remaining week could still be used.
    assert (finding.severity, finding.figure) == ("warning", 2.5)
    assert "0 weeks so far, 4 scheduled, 6 assumed for 2 unscheduled years" in finding.message
    assert "need at least 12 critical care weeks; the plan gives 10" in finding.message
