"""Vacation allotment: the allotted weeks per academic year, no more and no fewer."""

from compliance.engine.rules import vacation_allotment
from tests.compliance.engine.builders import (
    academic_year,
    program,
    requirement,
    resident,
    ryear,
    scope,
)


def check(facts, weeks, **year_fields):
    return vacation_allotment(facts, [resident(ryear(weeks, **year_fields))], scope(facts))


def test_four_vacation_weeks_match_the_default_allotment():
    assert check(program(), "VAC*4 WARDS*48") == []


def test_a_fifth_vacation_week_is_one_more_than_allotted():
    [finding] = check(program(), "VAC*5 WARDS*47")
    assert (finding.severity, finding.figure, finding.limit) == ("warning", 5.0, "= 4 weeks")
    assert finding.message == "5 vacation weeks in 2027-2028, 1 more than the 4 allotted."


def test_leave_weeks_are_not_vacation():
    [finding] = check(program(), "VAC*3 -*2 WARDS*47")
    assert finding.message == "3 vacation weeks in 2027-2028, 1 fewer than the 4 allotted."


def test_too_few_vacation_weeks_in_a_draft_year_are_only_information():
    facts = program(academic_years=(academic_year(status="draft"),))
    [finding] = check(facts, "VAC*3 WARDS*49")
    assert finding.severity == "info"


def test_a_program_can_allot_a_different_number_of_weeks():
    assert check(program(settings={"vacation_weeks_per_year": 3}), "VAC*3 WARDS*49") == []


def test_a_yearly_vacation_requirement_for_the_track_takes_precedence():
    facts = program(requirements=[requirement("VAC", pgy=[1], tracks=["PRE"], min_weeks=3)])
    assert check(facts, "VAC*3 WARDS*49", track="PRE") == []
    assert len(check(facts, "VAC*3 WARDS*49", track="CAT")) == 1
