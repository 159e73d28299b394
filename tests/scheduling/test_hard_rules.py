"""Every rule of scheduling/hard_rules.py on a hand-made row that breaks it (and only it).

The grid and the solver's own checks rely on these; each test was seen failing with its
rule's check switched off.
"""

from dataclasses import replace

from scheduling.hard_rules import resident_violations, schedule_breaks, schedule_violations
from scheduling.solver.problem import (
    Problem,
    RequirementSpec,
    ResidentSpec,
    RotationSpec,
    StaffingSpec,
    TrackSpec,
)

# Cohort 0 of 2+1 with three cohorts: X X Y X X Y
W, E, C, V = "WARDS", "ELEC", "CLINIC", "VAC"
GOOD = [W, W, C, E, E, C]


def problem(**changes) -> Problem:
    base = Problem(
        weeks=6,
        x_weeks=2,
        y_weeks=1,
        cohorts=3,
        rotations=(
            RotationSpec(W, "Wards", "inpatient", "x", max_consecutive_weeks=2, min_run_weeks=2),
            RotationSpec(E, "Elective", "elective_inpatient", "x"),
            RotationSpec(C, "Clinic", "ambulatory", "y"),
            RotationSpec(V, "Vacation", "vacation", "any"),
        ),
        requirements=(RequirementSpec(1, None, (1,), (W,), min_weeks=2, max_weeks=3),),
        tracks=(TrackSpec("CAT", "Categorical", 0.2, 0.5),),
        residents=(ResidentSpec("A", 1, "CAT", cohort=0),),
    )
    return replace(base, **changes)


def rules(row, p=None) -> list[str]:
    p = p or problem()
    return sorted(v.rule for v in resident_violations(p, p.residents[0], row))


def test_a_valid_row_breaks_nothing():
    assert rules(GOOD) == []


def test_phase():
    assert rules([W, W, E, E, C, C]) == ["phase", "phase"]  # weeks 2 (Y) and 4 (X)


def test_unscheduled_week():
    assert rules([W, W, C, E, None, C]) == ["unscheduled"]


def test_unknown_rotation():
    assert rules([W, W, C, E, "XYZ", C]) == ["unknown"]


def test_leave_week_with_a_rotation():
    p = problem(residents=(ResidentSpec("A", 1, "CAT", cohort=0, leave_weeks=(3,)),))
    assert rules(GOOD, p) == ["leave"]
    assert rules([W, W, C, None, E, C], p) == []


def test_approved_vacation_not_kept():
    p = problem(residents=(ResidentSpec("A", 1, "CAT", cohort=0, vacation_weeks=(4,)),))
    assert rules(GOOD, p) == ["vacation"]


def test_max_consecutive_weeks():
    p = problem(
        rotations=(*problem().rotations[:2], RotationSpec(C, "Clinic", "ambulatory", "any"))
    )
    assert "max_consecutive" in rules([W, W, W, E, E, C], p)


def test_min_run():
    assert rules([W, W, C, W, E, C]) == ["min_run"]


def test_requirement():
    assert rules([E, E, C, E, E, C]) == ["requirement"]


def test_ambulatory_band():
    p = problem(tracks=(TrackSpec("CAT", "Categorical", 0.5, 0.6),))
    assert rules(GOOD, p) == ["ambulatory_band"]


def test_pins():
    p = problem(fixed={("A", 3): W})
    assert rules(GOOD, p) == ["pin"]
    assert [v.rule for v in schedule_breaks(p, {"A": GOOD})] == ["pin"]


def test_weekly_staffing_minimum_and_maximum():
    wards = RotationSpec(W, "Wards", "inpatient", "x", staffing=(StaffingSpec((1,), 1, 1),))
    people = (ResidentSpec("A", 1, "CAT", cohort=0), ResidentSpec("B", 1, "CAT", cohort=0))
    p = problem(rotations=(wards, *problem().rotations[1:]), residents=people, requirements=())
    found = schedule_violations(p, {"A": [W, W, C, W, W, C], "B": [W, E, C, E, E, C]})
    staffing = sorted(v.weeks for v in found if v.rule == "staffing")
    assert staffing == [(0,), (2,), (5,)]  # two in week 0, nobody in weeks 2 and 5


# --- How the messages name residents ------------------------------------------------------


def named(*people) -> Problem:
    return problem(
        residents=tuple(ResidentSpec(rid, 1, "CAT", name=name, cohort=0) for rid, name in people)
    )


def test_messages_name_a_resident_by_name_without_the_program_id():
    p = named(("R0031", "Ana Ruiz"), ("R0032", "Ben Okafor"))
    [message] = [v.message for v in resident_violations(p, p.residents[0], [W, W, C, E, None, C])]
    assert message == "Ana Ruiz has no rotation in week 5."


def test_two_residents_who_share_a_name_are_told_apart_by_their_program_ids():
    p = named(("R0031", "Ana Ruiz"), ("R0032", "ana  ruiz"), ("R0040", "Ben Okafor"))
    rows = {"R0031": [W, W, C, E, None, C], "R0032": [W, W, C, E, None, C], "R0040": GOOD}
    messages = sorted(v.message for v in schedule_violations(p, rows) if v.rule == "unscheduled")
    assert messages == [
        "Ana Ruiz (R0031) has no rotation in week 5.",
        "ana ruiz (R0032) has no rotation in week 5.",
    ]
    unique = resident_violations(p, p.residents[2], [W, W, C, E, E, None])
    assert [v.message for v in unique] == ["Ben Okafor has no rotation in week 6."]


def test_a_broken_pin_names_the_resident_too():
    p = replace(named(("R0031", "Ana Ruiz")), fixed={("R0031", 0): W})
    breaks = schedule_breaks(p, {"R0031": [E, W, C, E, E, C]})
    assert "Ana Ruiz is pinned to WARDS in week 1." in [v.message for v in breaks]
    [pin] = [
        v for v in resident_violations(p, p.residents[0], [E, W, C, E, E, C]) if v.rule == "pin"
    ]
    assert pin.message == "Ana Ruiz is pinned to WARDS in week 1."
