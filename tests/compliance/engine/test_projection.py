"""Projection to graduation: weeks done, the plan ahead, and unscheduled years assumed."""

from datetime import date, timedelta

from compliance.engine import ResidentFacts
from compliance.engine.rules.projection import estimate_year
from tests.compliance.engine.builders import (
    academic_year,
    program,
    repeat,
    requirement,
    resident,
    ryear,
    scope,
)

TEMPLATE = repeat("WARDS*3 CLINIC*2", 52)
START = date(2027, 6, 28)


def test_an_unscheduled_categorical_year_is_assumed_to_follow_the_template():
    facts = program()
    estimate = estimate_year(facts, academic_year="2028-2029", pgy=2, track="CAT", weeks=52)
    # 52 - 4 vacation = 48 countable weeks; 2 in 5 are Y weeks: 19.2 clinic weeks, and the
    # 40% Y share is above the CAT floor of 34%, so 19.2 ambulatory and 28.8 inpatient.
    assert estimate.countable == 48
    assert round(estimate.clinic_weeks, 6) == 19.2
    assert round(estimate.ambulatory, 6) == 19.2
    assert round(estimate.inpatient, 6) == 28.8


def test_an_unscheduled_primary_care_year_is_assumed_at_its_band_floor():
    estimate = estimate_year(program(), academic_year="2028-2029", pgy=2, track="PC", weeks=52)
    # 50% of 48 countable weeks.
    assert (estimate.ambulatory, estimate.inpatient) == (24, 24)


def test_an_unscheduled_53_week_year_has_one_more_countable_week():
    estimate = estimate_year(program(), academic_year="2030-2031", pgy=3, track="CAT", weeks=53)
    # 53 - 4 = 49 countable; 49 x 2/5 = 19.6 clinic weeks.
    assert estimate.countable == 49
    assert round(estimate.clinic_weeks, 6) == 19.6


def test_yearly_requirements_supply_critical_care_and_experiences_at_their_minimum():
    facts = program(
        requirements=[
            requirement("ICU", min_weeks=3, max_weeks=6),
            requirement("ICU", tracks=["PC"], min_weeks=4),
            requirement("GERI", pgy=[2, 3], tracks=["PC"], min_weeks=2),
        ]
    )
    pc = estimate_year(facts, academic_year="2028-2029", pgy=2, track="PC", weeks=52)
    cat = estimate_year(facts, academic_year="2028-2029", pgy=2, track="CAT", weeks=52)
    # The larger of two minimums on the same rotations, not their sum.
    assert (pc.critical_care, pc.experiences) == (4, frozenset({"geriatrics"}))
    assert (cat.critical_care, cat.experiences) == (3, frozenset())


def test_a_first_year_resident_has_two_unscheduled_years_to_graduation():
    facts = program()
    outlook = scope(facts, as_of=START).outlook(resident(ryear(TEMPLATE, pgy=1)))
    assert [(e.academic_year, e.pgy) for e in outlook.estimates] == [
        ("2028-2029", 2),
        ("2029-2030", 3),
    ]
    assert outlook.applies and outlook.prior_years == 0
    # 52 scheduled countable weeks ahead + 2 x 48 assumed.
    assert outlook.remaining_countable == 148


def test_weeks_before_the_as_of_date_are_done_and_the_rest_are_ahead():
    facts = program()
    as_of = START + timedelta(weeks=10, days=3)  # inside week 10
    outlook = scope(facts, as_of=as_of).outlook(resident(ryear(TEMPLATE, pgy=1)))
    # Weeks 0-9: Y weeks 3, 4, 8, 9 are clinic; weeks 10-51: 16 clinic, 26 wards.
    assert (outlook.done.ambulatory, outlook.done.inpatient) == (4, 6)
    assert (outlook.planned.ambulatory, outlook.planned.inpatient) == (16, 26)
    assert outlook.planned.open_y_weeks == 16


def test_without_a_graduation_year_a_resident_is_assumed_to_finish_after_pgy_3():
    facts = program()
    pgy2 = ryear(TEMPLATE, pgy=2)
    the_resident = ResidentFacts("R1", "Ada", 2, "CAT", years=(pgy2,))
    outlook = scope(facts).outlook(the_resident)
    assert [e.pgy for e in outlook.estimates] == [3]
    assert outlook.applies and outlook.prior_years == 1


def test_a_preliminary_intern_graduating_this_year_has_no_residency_wide_rules():
    facts = program()
    outlook = scope(facts).outlook(resident(ryear(TEMPLATE, track="PRE"), graduation="2027-2028"))
    assert outlook.estimates == () and not outlook.applies


def test_a_listed_year_with_no_schedule_uses_that_years_track_and_length():
    facts = program(
        academic_years=(academic_year("2027-2028"), academic_year("2028-2029", 53, "none"))
    )
    the_resident = resident(
        ryear(TEMPLATE, pgy=1, track="CAT"),
        ryear((), year="2028-2029", pgy=2, track="PC"),
    )
    outlook = scope(facts, as_of=START).outlook(the_resident)
    first, second = outlook.estimates
    # The listed 53-week year as PC: 49 countable, half ambulatory; then PGY-3 implied.
    assert (first.academic_year, first.countable, first.ambulatory) == ("2028-2029", 49, 24.5)
    assert (second.academic_year, second.pgy, second.track) == ("2029-2030", 3, "PC")


def test_a_year_knows_whether_it_is_past_current_or_future():
    year = academic_year("2027-2028")
    assert year.is_future(date(2027, 6, 27)) and year.is_current(START)
    assert year.is_past(START + timedelta(weeks=52))
    assert year.weeks_elapsed(START + timedelta(days=20)) == 2
