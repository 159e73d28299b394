"""Intense X blocks in a row, and each rotation's longest and shortest run."""

from compliance.engine.rules import intense_blocks, rotation_runs
from tests.compliance.engine.builders import (
    program,
    repeat,
    resident,
    ryear,
    scope,
    with_weeks,
)

# Cohort 0 of 3+2: X blocks are weeks 0-2, 5-7, 10-12, 15-17, ...
TEMPLATE = repeat("WARDS*3 CLINIC*2", 52)
ICU_BLOCK_1 = {0: "ICU", 1: "ICU", 2: "ICU"}
NF_BLOCK_2 = {5: "NF", 6: "NF"}


def intense(facts, weeks, cohort=0):
    return intense_blocks(facts, [resident(ryear(weeks, cohort=cohort))], scope(facts))


def test_two_intense_blocks_in_a_row_are_allowed():
    # A 3-week ICU stint is one block, not three: weeks alone would flag every ICU stint.
    assert intense(program(), with_weeks(TEMPLATE, {**ICU_BLOCK_1, **NF_BLOCK_2})) == []


def test_a_third_intense_block_in_a_row_is_a_warning_naming_the_weeks():
    weeks = with_weeks(TEMPLATE, {**ICU_BLOCK_1, **NF_BLOCK_2, 10: "ICU"})
    [finding] = intense(program(), weeks)
    assert (finding.severity, finding.rule_id, finding.figure) == (
        "warning",
        "max_consecutive_intense_blocks",
        3.0,
    )
    assert finding.weeks == (0, 1, 2, 5, 6, 10)
    assert "3 X blocks in a row with intense rotations (ICU, NF)" in finding.message


def test_a_calm_block_between_intense_blocks_resets_the_count():
    weeks = with_weeks(TEMPLATE, {**ICU_BLOCK_1, **NF_BLOCK_2, 15: "ICU", 20: "NF"})
    # Blocks: ICU, NF, wards (calm), ICU, NF.
    assert intense(program(), weeks) == []


def test_a_program_can_allow_only_one_intense_block_in_a_row():
    facts = program(settings={"max_consecutive_intense_blocks": 1})
    [finding] = intense(facts, with_weeks(TEMPLATE, {**ICU_BLOCK_1, **NF_BLOCK_2}))
    assert finding.limit == "<= 1 blocks"


def test_without_a_cohort_clinic_weeks_separate_the_blocks():
    weeks = with_weeks(TEMPLATE, {**ICU_BLOCK_1, **NF_BLOCK_2, 10: "ICU"})
    [finding] = intense(program(), weeks, cohort=None)
    assert finding.figure == 3.0


def runs_of(weeks):
    facts = program()
    return rotation_runs(facts, [resident(ryear(weeks))], scope(facts))


def test_three_weeks_of_nights_exceed_a_two_week_maximum():
    [finding] = runs_of(with_weeks(TEMPLATE, {0: "NF", 1: "NF", 2: "NF"}))
    assert (finding.rule_id, finding.rotation, finding.weeks) == (
        "max_consecutive_weeks",
        "NF",
        (0, 1, 2),
    )
    assert finding.limit == "<= 2 weeks"


def test_a_single_week_of_wards_mid_year_is_shorter_than_the_two_week_minimum():
    [finding] = runs_of(with_weeks(TEMPLATE, {5: "ICU", 6: "ICU"}))
    assert (finding.rule_id, finding.weeks, finding.limit) == ("min_run_weeks", (7,), ">= 2 weeks")


def test_a_short_run_at_the_start_of_the_year_is_exempt():
    assert runs_of(with_weeks(TEMPLATE, {1: "ICU", 2: "ICU"})) == []


def test_a_short_run_cut_by_leave_is_exempt():
    assert runs_of(with_weeks(TEMPLATE, {5: None, 6: None})) == []


def test_a_short_run_at_the_end_of_the_year_is_exempt():
    # Weeks 50 and 51 are X weeks for cohort 0; wards in week 51 alone ends the year.
    assert runs_of(with_weeks(TEMPLATE, {50: "ICU"})) == []
