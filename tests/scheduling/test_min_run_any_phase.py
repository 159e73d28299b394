"""A phase flip does not end a run of an `any`-phase rotation (spec, "Rotations").

The solver model, the live hard rules and the independent checker must all read the
min-run rule that way: a 4-week elective allowed in both phases may run across the flip
from X to Y weeks, and a 2-week stint of it between two flips is still too short.
"""

from datetime import date, timedelta

from scheduling.hard_rules import schedule_violations
from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from tests.support.schedule_checker import check_schedule

START = date(2027, 6, 28)


def day(week: int) -> str:
    return (START + timedelta(weeks=week)).isoformat()


def any_phase_bundle(residents: int = 10, weeks: int = 20, elective_weeks: int = 8) -> dict:
    """3+2 with an `any`-phase elective of at least 4-week stints that everyone needs 8
    weeks of: under a rule that cut runs at phase flips, X blocks of 3 weeks and Y blocks
    of 2 could never hold a stint, so only runs touching the year's ends would be left."""
    people = [
        {"id": f"A{n:02d}", "name": f"Any {n:02d}", "email": f"a{n}@x.org", "pgy": 1 + n % 2}
        for n in range(residents)
    ]
    for person in people:
        person["track"] = "CAT"
    return {
        "format": "residency-bundle/1",
        "program": {"slug": "anyrun", "name": "Any", "institution": "X", "timezone": "UTC"},
        "academic_years": [{"name": "2027-2028", "start": START.isoformat(), "weeks": weeks}],
        "template": {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
        "tracks": [{"code": "CAT", "name": "Categorical", "ambulatory_share": [0.1, 0.9]}],
        "rotations": [
            {
                "code": "WARDS",
                "name": "Wards",
                "setting": "inpatient",
                "phase": "x",
                "staffing": [{"pgy": [1, 2], "min": 1, "max": residents}],
            },
            {"code": "CLINIC", "name": "Clinic", "setting": "ambulatory", "phase": "y"},
            {
                "code": "RES",
                "name": "Research elective",
                "setting": "elective_inpatient",
                "phase": "any",
                "min_run_weeks": 4,
            },
        ],
        "requirements": [
            {"tracks": "*", "pgy": [1, 2], "rotations": ["RES"], "min_weeks": elective_weeks}
        ],
        "residents": people,
        "faculty": [],
    }


def export_of(bundle: dict, rows: dict, cohorts: dict) -> dict:
    return {
        "format": "residency-schedule/1",
        "program": "anyrun",
        "academic_year": "2027-2028",
        "status": "draft",
        "weeks": [day(w) for w in range(len(next(iter(rows.values()))))],
        "cohorts": cohorts,
        "assignments": [
            {"resident": rid, "week": day(w), "rotation": code}
            for rid, row in rows.items()
            for w, code in enumerate(row)
            if code is not None
        ],
    }


def test_a_program_with_long_any_phase_runs_builds():
    bundle = any_phase_bundle()
    result = solve(problem_from_bundle(bundle), SolveOptions(time_limit_s=20))
    assert result.status in ("OPTIMAL", "FEASIBLE"), (result.status, result.explanation)
    assert check_schedule(bundle, schedule_export(bundle, None, result)) == []


# Cohort 0 in 3+2: weeks 0-2 X, 3-4 Y, 5-7 X, 8-9 Y (ten weeks).
W, C, R = "WARDS", "CLINIC", "RES"
ACROSS_THE_FLIP = [W, W, R, R, R, R, W, W, C, C]  # RES weeks 2-5: X, Y, Y, X
SHORT_BETWEEN_FLIPS = [W, W, W, R, R, W, W, W, C, C]  # RES weeks 3-4: a whole Y block


def tiny(row: list[str]) -> tuple[dict, dict]:
    bundle = any_phase_bundle(residents=1, weeks=10, elective_weeks=0)
    bundle["rotations"][0]["staffing"] = []
    bundle["residents"][0]["cohort"] = 0
    return bundle, export_of(bundle, {"A00": row}, {"A00": 0})


def min_run_breaks(row: list[str]) -> tuple[list[str], list]:
    bundle, export = tiny(row)
    checker = [line for line in check_schedule(bundle, export) if "min run" in line]
    problem = problem_from_bundle(bundle)
    live = [v for v in schedule_violations(problem, {"A00": row}) if v.rule == "min_run"]
    return checker, live


def test_a_run_of_an_any_phase_rotation_continues_across_the_phase_flip():
    assert min_run_breaks(ACROSS_THE_FLIP) == ([], [])


def test_a_short_run_of_an_any_phase_rotation_between_flips_is_still_too_short():
    checker, live = min_run_breaks(SHORT_BETWEEN_FLIPS)
    assert len(checker) == 1 and len(live) == 1
    assert live[0].weeks == (3, 4)


def test_a_run_of_an_x_phase_rotation_still_has_to_fit_its_phase_block():
    bundle, _ = tiny(ACROSS_THE_FLIP)
    bundle["rotations"][0]["min_run_weeks"] = 4
    row = [W, W, W, C, C, W, W, W, C, C]  # weeks 5-7: a whole X block, one week short
    export = export_of(bundle, {"A00": row}, {"A00": 0})
    assert any("WARDS" in line and "min run" in line for line in check_schedule(bundle, export))
    live = schedule_violations(problem_from_bundle(bundle), {"A00": row})
    assert [v.weeks for v in live if v.rule == "min_run"] == [(5, 6, 7)]
