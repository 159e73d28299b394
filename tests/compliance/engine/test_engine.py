"""evaluate(): every rule, sorted findings, counts and per-resident figures."""

from datetime import date

import pytest

from bench.compliance import AS_OF, synthetic_program, synthetic_residents
from compliance.engine import evaluate
from tests.compliance.engine.builders import (
    program,
    repeat,
    resident,
    ryear,
    with_weeks,
    years,
)

TEMPLATE = repeat("WARDS*3 CLINIC*2", 52)
TWO_YEARS = years("2026-2027", "2027-2028")
# Leave in week 0, vacation in Y weeks 3-4, ICU in X weeks 5-7.
FIRST_YEAR = with_weeks(TEMPLATE, {0: None, 3: "VAC", 4: "VAC", 5: "ICU", 6: "ICU", 7: "ICU"})


def two_year_resident(resident_id="R1", first=FIRST_YEAR, second=TEMPLATE):
    return resident(
        ryear(first, year="2026-2027", pgy=1),
        ryear(second, year="2027-2028", pgy=2),
        resident_id=resident_id,
    )


def test_figures_are_counted_per_year_and_for_the_residency():
    report = evaluate(program(academic_years=TWO_YEARS), [two_year_resident()], as_of=AS_OF)
    figures = report.residents[0]
    first, second = (year.figures for year in figures.years)
    # Year 1: 20 Y weeks - 2 vacation = 18 clinic weeks; 32 X weeks - 1 leave = 31 inpatient.
    assert (first.ambulatory_weeks, first.inpatient_weeks, first.critical_care_weeks) == (18, 31, 3)
    assert (first.vacation_weeks, first.leave_weeks, first.clinic_sessions) == (2, 1, 54)
    assert (first.ambulatory_share, first.critical_care_months) == (round(18 / 49, 4), 0.75)
    assert (second.ambulatory_weeks, second.inpatient_weeks, second.clinic_sessions) == (20, 32, 60)
    cumulative = figures.cumulative
    assert (cumulative.ambulatory_weeks, cumulative.inpatient_weeks) == (38, 63)
    assert cumulative.clinic_sessions == 114
    assert cumulative.ambulatory_share == round(38 / 101, 4)
    assert figures.unscheduled_years == 1


def test_findings_are_sorted_by_severity_then_resident_then_rule_and_counted():
    weeks = with_weeks(TEMPLATE, {3: "WARDS", 10: "GERI"})
    report = evaluate(
        program(academic_years=TWO_YEARS),
        [two_year_resident("R2", second=weeks), two_year_resident("R1", second=weeks)],
        as_of=AS_OF,
    )
    keys = [f.sort_key() for f in report.findings]
    assert keys == sorted(keys)
    assert report.findings[0].severity == "critical"
    assert sum(report.counts.values()) == len(report.findings)
    assert report.counts["critical"] == sum(f.severity == "critical" for f in report.findings)


def test_a_reporting_year_limits_the_yearly_rules_but_not_the_residency_wide_ones():
    facts = program(academic_years=TWO_YEARS)
    weeks = with_weeks(TEMPLATE, {3: "WARDS"})
    residents = [two_year_resident(first=weeks, second=weeks)]
    everything = evaluate(facts, residents, as_of=AS_OF)
    one_year = evaluate(facts, residents, year="2027-2028", as_of=AS_OF)
    assert {f.academic_year for f in everything.findings if f.rule_id == "xy_phase"} == {
        "2026-2027",
        "2027-2028",
    }
    assert {f.academic_year for f in one_year.findings if f.academic_year} == {"2027-2028"}
    wide = {f.rule_id for f in everything.findings if f.academic_year is None}
    assert wide == {f.rule_id for f in one_year.findings if f.academic_year is None}


def test_an_unknown_reporting_year_is_refused():
    with pytest.raises(ValueError, match="2030-2031"):
        evaluate(program(), [], year="2030-2031", as_of=AS_OF)


def test_a_week_on_an_unknown_rotation_is_refused_with_the_resident_and_week():
    with pytest.raises(ValueError, match=r"R1 .*'SURG'.*week 2"):
        evaluate(program(), [resident(ryear("WARDS SURG"))], as_of=AS_OF)


def test_a_resident_year_outside_the_programs_years_is_refused():
    with pytest.raises(ValueError, match="2019-2020"):
        evaluate(program(), [resident(ryear("WARDS", year="2019-2020"))], as_of=AS_OF)


def test_four_hundred_residents_over_three_years_are_all_evaluated():
    # Speed is measured by `python -m bench.compliance`, never by a timed unit test.
    facts, residents = synthetic_program(), synthetic_residents(400)
    report = evaluate(facts, residents, as_of=AS_OF)
    assert len(report.residents) == 400


def test_nothing_to_report_for_an_empty_roster_with_no_built_years():
    facts = program(
        academic_years=years("2027-2028", status="none"),
        settings={"required_experiences": ["geriatrics"]},
    )
    report = evaluate(facts, [], as_of=date(2027, 7, 1))
    assert report.findings == () and report.counts == {"critical": 0, "warning": 0, "info": 0}
