"""Yearly requirements per track and PGY, and the required experiences."""

from datetime import date

from compliance.engine.rules import required_experiences, yearly_requirements
from tests.compliance.engine.builders import (
    program,
    requirement,
    resident,
    ryear,
    scope,
    years,
)

INTERN_WARDS = requirement("WARDS", pgy=[1], min_weeks=9)
ICU_3_TO_6 = requirement("ICU", min_weeks=3, max_weeks=6)
PC_GERIATRICS = requirement("GERI", pgy=[2, 3], tracks=["PC"], min_weeks=2)


def yearly(facts, *resident_years):
    return yearly_requirements(facts, [resident(*resident_years)], scope(facts))


def test_eight_weeks_of_intern_wards_fall_short_of_nine():
    facts = program(requirements=[INTERN_WARDS])
    [finding] = yearly(facts, ryear("WARDS*8 AMB*44", pgy=1))
    assert (finding.severity, finding.figure, finding.limit) == ("warning", 8, ">= 9 weeks")
    assert "8 weeks on WARDS in 2027-2028 (PGY-1, CAT), below the required minimum of 9" in (
        finding.message
    )


def test_nine_weeks_of_intern_wards_meet_the_requirement():
    facts = program(requirements=[INTERN_WARDS])
    assert yearly(facts, ryear("WARDS*9 AMB*43", pgy=1)) == []


def test_seven_icu_weeks_exceed_a_three_to_six_week_requirement():
    facts = program(requirements=[ICU_3_TO_6])
    [finding] = yearly(facts, ryear("ICU*7 WARDS*45"))
    assert finding.limit == "3–6 weeks"
    assert "above the allowed maximum of 6" in finding.message


def test_a_requirement_counts_weeks_on_any_of_its_rotations():
    facts = program(requirements=[requirement("ICU NF", min_weeks=5)])
    # 3 ICU + 2 NF = 5 weeks.
    assert yearly(facts, ryear("ICU*3 NF*2 WARDS*47")) == []


def test_a_track_specific_requirement_leaves_other_tracks_alone():
    facts = program(requirements=[PC_GERIATRICS])
    assert yearly(facts, ryear("WARDS*52", pgy=2, track="CAT")) == []


def test_a_resident_who_changes_track_meets_each_years_own_requirements():
    facts = program(requirements=[PC_GERIATRICS], academic_years=years("2027-2028", "2028-2029"))
    findings = yearly(
        facts,
        ryear("WARDS*52", year="2027-2028", pgy=2, track="CAT"),
        ryear("GERI*1 WARDS*51", year="2028-2029", pgy=3, track="PC"),
    )
    assert [(f.academic_year, f.figure) for f in findings] == [("2028-2029", 1)]


def experiences(facts, *residents):
    return required_experiences(facts, list(residents), scope(facts))


THREE_YEARS = years("2025-2026", "2026-2027", "2027-2028")


def residency(first, second, third, resident_id="R1"):
    return resident(
        ryear(first, year="2025-2026", pgy=1),
        ryear(second, year="2026-2027", pgy=2),
        ryear(third, year="2027-2028", pgy=3),
        resident_id=resident_id,
    )


def test_an_experience_no_rotation_offers_is_reported_once_for_the_program():
    facts = program(academic_years=THREE_YEARS)
    findings = experiences(facts, residency("GERI WARDS*51", "ED WARDS*51", "WARDS*52"))
    # The standard rotations offer geriatrics and emergency medicine only.
    assert sorted(f.message.split("'")[1] for f in findings) == [
        "addiction medicine",
        "neurology",
        "palliative care",
    ]
    assert {f.resident_id for f in findings} == {None}


def test_experiences_met_in_different_years_count_across_the_residency():
    facts = program(
        academic_years=THREE_YEARS,
        settings={"required_experiences": ["geriatrics", "emergency_medicine"]},
    )
    assert experiences(facts, residency("GERI WARDS*51", "WARDS*52", "WARDS*51 ED")) == []


def test_a_finished_residency_without_a_required_experience_is_critical():
    facts = program(academic_years=THREE_YEARS, settings={"required_experiences": ["Geriatrics"]})
    [finding] = experiences(facts, residency("WARDS*52", "WARDS*52", "WARDS*52"))
    assert (finding.severity, finding.resident_id) == ("critical", "R1")
    assert "No week of geriatrics" in finding.message


def test_a_missing_experience_with_weeks_to_come_is_a_warning():
    facts = program(academic_years=THREE_YEARS, settings={"required_experiences": ["geriatrics"]})
    [finding] = required_experiences(
        facts,
        [residency("WARDS*52", "WARDS*52", "WARDS*52")],
        scope(facts, as_of=date(2027, 6, 28)),
    )
    assert finding.severity == "warning"
    assert "52 weeks remain" in finding.message


def test_a_yearly_requirement_in_an_unscheduled_year_is_assumed_to_provide_its_experience():
    facts = program(requirements=[PC_GERIATRICS], settings={"required_experiences": ["geriatrics"]})
    # A PC intern: PGY-2 and PGY-3 are unscheduled, and PC residents need 2 GERI weeks then.
    intern = resident(ryear("WARDS*52", pgy=1, track="PC"))
    assert required_experiences(facts, [intern], scope(facts, as_of=date(2027, 6, 28))) == []
