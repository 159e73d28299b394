"""Weekly staffing: residents of each PGY group per rotation per week against min and max."""

from compliance.engine.rules import staffing
from tests.compliance.engine.builders import (
    academic_year,
    program,
    resident,
    rotation,
    ryear,
    scope,
    staff,
)

# A four-week year keeps the counts by hand short.
YEAR = (academic_year("2027-2028", weeks=4),)

ROSTER = [  # resident id, PGY, four weeks ("-" is leave)
    ("A", 1, "WARDS WARDS WARDS AMB"),
    ("B", 1, "WARDS WARDS - WARDS"),
    ("C", 1, "WARDS AMB WARDS WARDS"),
    ("F", 1, "WARDS WARDS AMB WARDS"),
    ("D", 2, "WARDS WARDS WARDS WARDS"),
    ("E", 3, "WARDS WARDS AMB AMB"),
]
# PGY-1 on WARDS by week: 4, 3, 2 (B on leave), 3. PGY-2/3: 2, 2, 1, 1.


def roster():
    return [resident(ryear(w, pgy=p, resident_id=r), resident_id=r) for r, p, w in ROSTER]


def wards(*groups, status="published"):
    rotations = (
        rotation("WARDS", "inpatient", "x", staffing=groups),
        rotation("AMB", "ambulatory"),
    )
    years = (academic_year("2027-2028", weeks=4, status=status),)
    return program(rotations=rotations, academic_years=years)


def test_four_interns_on_wards_exceed_a_maximum_of_three_in_the_first_week():
    facts = wards(staff([1], 2, 3), staff([2, 3], 1, 2))
    [finding] = staffing(facts, roster(), scope(facts))
    assert (finding.severity, finding.rule_id) == ("warning", "staffing_max")
    assert (finding.rotation, finding.weeks, finding.figure) == ("WARDS", (0,), 4.0)
    assert finding.limit == "PGY-1: 2–3"
    assert finding.message == (
        "WARDS has 4 PGY-1 residents in the week of 2027-06-28; it allows at most 3."
    )


def test_a_resident_on_leave_leaves_a_gap():
    facts = wards(staff([1], 3, None))
    [finding] = staffing(facts, roster(), scope(facts))
    # Week 2: A and C only, because B is on leave.
    assert (finding.severity, finding.weeks, finding.figure) == ("critical", (2,), 2.0)


def test_a_group_of_several_pgy_levels_counts_them_together():
    facts = wards(staff([2, 3], 2, None))
    [finding] = staffing(facts, roster(), scope(facts))
    # PGY-2/3: D and E in weeks 0-1, D alone in weeks 2-3.
    assert (finding.weeks, finding.figure, finding.limit) == ((2, 3), 1.0, "PGY-2/3: >= 2")
    assert "in the 2 weeks from 2027-07-12 to 2027-07-19" in finding.message


def test_an_unstaffed_service_is_one_critical_finding_for_the_consecutive_weeks():
    facts = program(
        rotations=(
            rotation("WARDS", "inpatient", "x"),
            rotation("AMB", "ambulatory"),
            rotation("ICU", "critical_care", "x", staffing=(staff([1], 1, None),)),
        ),
        academic_years=YEAR,
    )
    [finding] = staffing(facts, roster(), scope(facts))
    assert (finding.rotation, finding.weeks, finding.figure) == ("ICU", (0, 1, 2, 3), 0.0)
    assert "ICU has 0 PGY-1 residents in the 4 weeks" in finding.message


def test_a_draft_year_is_checked_and_an_unbuilt_year_is_not():
    facts = wards(staff([1], 5, None), status="draft")
    assert len(staffing(facts, roster(), scope(facts))) == 1
    unbuilt = wards(staff([1], 5, None), status="none")
    assert staffing(unbuilt, [], scope(unbuilt)) == []
