"""The independent checker catches hand-made violations of every hard rule."""

import copy
from datetime import date, timedelta

import pytest

from tests.support.schedule_checker import check_schedule

START = date(2027, 6, 28)
WEEKS = 10


def day(week: int) -> str:
    return (START + timedelta(weeks=week)).isoformat()


def bundle() -> dict:
    """A tiny 3+2 program: A in cohort 0 (xxxyyxxxyy), B in cohort 2 (xyyxxxyyxx)."""
    return {
        "format": "residency-bundle/1",
        "program": {"slug": "tiny", "name": "Tiny", "institution": "X", "timezone": "UTC"},
        "academic_years": [{"name": "2027-2028", "start": START.isoformat(), "weeks": WEEKS}],
        "template": {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
        "tracks": [{"code": "CAT", "name": "Categorical", "ambulatory_share": [0.3, 0.6]}],
        "rotations": [
            {
                "code": "WARDS",
                "name": "Wards",
                "setting": "inpatient",
                "phase": "x",
                "staffing": [{"pgy": [1], "min": 1, "max": 2}],
                "min_run_weeks": 2,
                "max_consecutive_weeks": 3,
            },
            {"code": "ELEC", "name": "Elective", "setting": "elective_inpatient", "phase": "x"},
            {"code": "CLINIC", "name": "Clinic", "setting": "ambulatory", "phase": "y"},
            {"code": "VAC", "name": "Vacation", "setting": "vacation", "phase": "any"},
        ],
        "requirements": [{"tracks": "*", "pgy": [1], "rotations": ["WARDS"], "min_weeks": 3}],
        "residents": [
            {"id": "A", "name": "A", "email": "a@x", "pgy": 1, "track": "CAT", "requests": []},
            {"id": "B", "name": "B", "email": "b@x", "pgy": 1, "track": "CAT", "requests": []},
        ],
        "faculty": [],
    }


W, E, C = "WARDS", "ELEC", "CLINIC"
ROWS = {
    "A": [W, W, W, C, C, E, W, W, C, C],
    "B": [E, C, C, W, W, W, C, C, W, W],
}


def export(rows=None, cohorts=None) -> dict:
    rows = rows or ROWS
    return {
        "format": "residency-schedule/1",
        "program": "tiny",
        "academic_year": "2027-2028",
        "status": "draft",
        "weeks": [day(w) for w in range(WEEKS)],
        "cohorts": cohorts or {"A": 0, "B": 2},
        "assignments": [
            {"resident": rid, "week": day(w), "rotation": code}
            for rid, row in rows.items()
            for w, code in enumerate(row)
            if code is not None
        ],
    }


def with_row(rid: str, **changes) -> dict:
    rows = copy.deepcopy(ROWS)
    for week, code in changes.items():
        rows[rid][int(week[1:])] = code
    return rows


def test_it_passes_a_valid_schedule():
    assert check_schedule(bundle(), export()) == []


def test_it_flags_a_missing_week():
    out = check_schedule(bundle(), export(with_row("B", w9=None)))
    assert any("0 assignments" in v for v in out)


def test_it_flags_a_double_assignment():
    data = export()
    data["assignments"].append({"resident": "A", "week": day(3), "rotation": "VAC"})
    assert any("2 assignments" in v for v in check_schedule(bundle(), data))


def test_it_flags_a_rotation_in_the_wrong_phase():
    out = check_schedule(bundle(), export(with_row("A", w3="ELEC")))
    assert any("phase-x" in v and "Y week" in v for v in out)


def test_it_recomputes_the_phase_from_the_exported_cohort():
    out = check_schedule(bundle(), export(cohorts={"A": 1, "B": 2}))
    assert any(v.startswith("A ") and "phase" in v for v in out)


def test_it_flags_staffing_below_the_minimum_and_above_the_maximum():
    both_elec = with_row("A", w0="ELEC", w1="ELEC", w2="ELEC")
    assert any(
        v.startswith("WARDS 2027-06-28") for v in check_schedule(bundle(), export(both_elec))
    )
    data = bundle()
    data["rotations"][0]["staffing"][0]["max"] = 0
    assert any("needs [1, 0]" in v for v in check_schedule(data, export()))


def test_it_flags_a_missed_requirement():
    rows = with_row("A", w0="ELEC", w1="ELEC", w2="ELEC")
    out = check_schedule(bundle(), export(rows))
    assert any("requirement #1" in v and v.startswith("A") for v in out)


def test_it_flags_more_consecutive_weeks_than_allowed():
    data = bundle()
    data["rotations"][3]["max_consecutive_weeks"] = 1
    rows = with_row("A", w3="VAC", w4="VAC")
    assert any("consecutive weeks of VAC" in v for v in check_schedule(data, export(rows)))


def test_it_flags_a_run_cut_short_by_the_phase_flip():
    rows = with_row("A", w6="ELEC")
    out = check_schedule(bundle(), export(rows))
    assert any("run of 1 week(s) of WARDS" in v for v in out)


def test_it_exempts_runs_cut_by_the_start_or_end_of_the_year():
    rows = with_row("A", w1="ELEC", w2="ELEC")
    rows["B"][8] = "ELEC"
    out = check_schedule(bundle(), export(rows))
    assert not any("run of" in v for v in out), out


def test_it_exempts_runs_next_to_leave():
    data = bundle()
    data["rotations"][0]["staffing"][0]["min"] = 0
    data["residents"][1]["requests"] = [{"kind": "leave", "weeks": [day(4), day(5)]}]
    out = check_schedule(data, export(with_row("B", w4=None, w5=None)))
    assert out == [], out


def test_it_flags_an_assignment_during_leave():
    data = bundle()
    data["residents"][1]["requests"] = [{"kind": "leave", "weeks": [day(9)]}]
    assert any("on leave" in v for v in check_schedule(data, export()))


def test_it_flags_approved_vacation_spent_working():
    data = bundle()
    data["residents"][0]["requests"] = [{"kind": "vacation", "weeks": [day(9)]}]
    assert any("approved vacation" in v for v in check_schedule(data, export()))
    assert check_schedule(data, export(with_row("A", w9="VAC"))) == []


def test_it_flags_an_ambulatory_share_outside_the_band():
    data = bundle()
    data["tracks"][0]["ambulatory_share"] = [0.5, 0.6]
    out = check_schedule(data, export())
    assert any("ambulatory share 0.400" in v for v in out)


def test_vacation_weeks_leave_the_band_denominator():
    data = bundle()
    data["tracks"][0]["ambulatory_share"] = [0.42, 0.6]
    assert any(v.startswith("A: ambulatory") for v in check_schedule(data, export()))
    rows = with_row("A", w5="VAC")  # 4 ambulatory / 9 non-vacation weeks = 44%
    out = [v for v in check_schedule(data, export(rows)) if v.startswith("A: ambulatory")]
    assert out == [], out


def test_it_flags_a_changed_fixed_cohort_and_unknown_codes():
    data = bundle()
    data["residents"][0]["cohort"] = 0
    out = check_schedule(data, export(cohorts={"A": 2, "B": 0}))
    assert any("fixed cohort" in v for v in out)
    rows = with_row("A", w3="NOPE")
    assert any("unknown rotation" in v for v in check_schedule(bundle(), export(rows)))


@pytest.mark.parametrize("week", ["2026-01-05", "2027-06-30"])
def test_it_flags_weeks_outside_the_year(week):
    data = export()
    data["assignments"][0]["week"] = week
    assert any("not a week of" in v for v in check_schedule(bundle(), data))
