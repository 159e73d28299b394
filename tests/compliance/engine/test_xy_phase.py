"""X+Y phase: the spec formula, and the integrity rule built on it."""

import pytest

from compliance.engine import ProgramFacts
from compliance.engine.rules import xy_phase
from scheduling.xy import is_y_week
from tests.compliance.engine.builders import (
    program,
    repeat,
    resident,
    ryear,
    scope,
    with_weeks,
)


def y_weeks(cohort, *, x, y, cohorts, upto=10):
    return [w for w in range(upto) if is_y_week(w, cohort, x_weeks=x, y_weeks=y, cohorts=cohorts)]


def test_3_plus_2_with_5_cohorts_staggers_the_y_weeks_one_week_apart():
    # L = 5, step = 1: week w is Y when (w + cohort) % 5 >= 3.
    assert y_weeks(0, x=3, y=2, cohorts=5) == [3, 4, 8, 9]
    assert y_weeks(1, x=3, y=2, cohorts=5) == [2, 3, 7, 8]
    assert y_weeks(2, x=3, y=2, cohorts=5) == [1, 2, 6, 7]
    assert y_weeks(3, x=3, y=2, cohorts=5) == [0, 1, 5, 6]
    assert y_weeks(4, x=3, y=2, cohorts=5) == [0, 4, 5, 9]


def test_3_plus_2_puts_two_of_five_cohorts_in_clinic_every_week_of_a_53_week_year():
    for week in range(53):
        in_y = [c for c in range(5) if is_y_week(week, c, x_weeks=3, y_weeks=2, cohorts=5)]
        assert len(in_y) == 2


def test_4_plus_1_puts_exactly_one_cohort_in_clinic_each_week():
    # (w + cohort) % 5 >= 4: cohort 0 in weeks 4, 9; cohort 2 in weeks 2, 7.
    assert y_weeks(0, x=4, y=1, cohorts=5) == [4, 9]
    assert y_weeks(2, x=4, y=1, cohorts=5) == [2, 7]
    for week in range(52):
        assert sum(is_y_week(week, c, x_weeks=4, y_weeks=1, cohorts=5) for c in range(5)) == 1


def test_4_plus_2_with_3_cohorts_steps_two_weeks_per_cohort():
    # L = 6, step = 2: cohort 1 is Y when (w + 2) % 6 >= 4, i.e. weeks 2, 3, 8, 9.
    assert y_weeks(1, x=4, y=2, cohorts=3, upto=12) == [2, 3, 8, 9]


def test_a_template_whose_cohorts_do_not_divide_the_cycle_is_refused():
    with pytest.raises(ValueError, match="cohorts"):
        ProgramFacts(x_weeks=3, y_weeks=2, cohorts=4, rotations={}, tracks={})


def check(facts, *resident_years):
    return xy_phase(facts, [resident(*resident_years)], scope(facts))


def test_a_schedule_that_follows_the_template_has_no_phase_findings():
    facts = program()
    assert check(facts, ryear(repeat("WARDS*3 CLINIC*2", 52))) == []


def test_wards_in_a_y_week_is_critical_and_names_the_week():
    facts = program()
    weeks = with_weeks(repeat("WARDS*3 CLINIC*2", 52), {3: "WARDS"})
    [finding] = check(facts, ryear(weeks))
    assert finding.severity == "critical"
    assert (finding.rotation, finding.weeks) == ("WARDS", (3,))
    assert "the week of 2027-07-19" in finding.message


def test_clinic_in_consecutive_x_weeks_is_one_critical_finding():
    facts = program()
    weeks = with_weeks(repeat("WARDS*3 CLINIC*2", 52), {0: "CLINIC", 1: "CLINIC"})
    [finding] = check(facts, ryear(weeks))
    assert finding.severity == "critical"
    assert finding.weeks == (0, 1)
    assert "no clinic in its X weeks" in finding.message


def test_an_x_phase_ambulatory_elective_in_a_y_week_is_only_a_warning():
    facts = program()
    weeks = with_weeks(repeat("WARDS*3 CLINIC*2", 52), {8: "GERI"})
    [finding] = check(facts, ryear(weeks))
    assert (finding.severity, finding.rotation, finding.weeks) == ("warning", "GERI", (8,))


def test_phase_any_rotations_and_leave_fit_in_any_week():
    facts = program()
    weeks = with_weeks(repeat("WARDS*3 CLINIC*2", 52), {0: "VAC", 3: "VAC", 4: None, 5: "AMB"})
    assert check(facts, ryear(weeks)) == []


def test_the_phase_follows_the_residents_cohort():
    facts = program()
    # Cohort 2 is in X weeks 3, 4, 5 ((w + 2) % 5 < 3) and in Y weeks 1, 2, 6, 7.
    weeks = repeat("WARDS CLINIC*2 WARDS*2", 52)
    assert check(facts, ryear(weeks, cohort=2)) == []
    assert len(check(facts, ryear(weeks, cohort=0))) > 0


def test_a_4_plus_1_program_checks_its_single_y_week():
    facts = program(x=4, y=1, cohorts=5)
    assert check(facts, ryear(repeat("WARDS*4 CLINIC", 52))) == []
    [finding] = check(facts, ryear(with_weeks(repeat("WARDS*4 CLINIC", 52), {3: "CLINIC"})))
    assert (finding.severity, finding.weeks) == ("critical", (3,))


def test_a_year_without_a_cohort_is_reported_as_unchecked():
    facts = program()
    [finding] = check(facts, ryear(repeat("WARDS*3 CLINIC*2", 52), cohort=None))
    assert (finding.severity, finding.rule_id) == ("info", "xy_cohort_missing")
