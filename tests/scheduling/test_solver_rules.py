"""Every hard rule of the model, on a tiny program where breaking it would pay.

Each program gives the residents wishes that only a broken rule could grant, so a model
without that rule returns a schedule the independent checker rejects. Every test runs the
builder twice: as shipped ("auto", where Python checks around the model also guard the
rules) and as the bare full model ("cpsat"). Each was seen failing with its rule switched
off in scheduling/solver/model.py.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from scheduling.solver.problem import ObjectiveWeights
from tests.support.schedule_checker import check_schedule

START = date(2027, 6, 28)


def day(week: int) -> str:
    return (START + timedelta(weeks=week)).isoformat()


def rotation(code: str, setting: str = "inpatient", phase: str = "any", **rules) -> dict:
    return {"code": code, "name": code, "setting": setting, "phase": phase, **rules}


def program(rotations, people, *, weeks=6, requirements=(), band=(0.0, 1.0), template=None):
    """A tiny bundle; ``people`` are (pgy, requests) pairs, one per resident, cohort 0."""
    residents = [
        {
            "id": f"R{n}",
            "name": f"R{n}",
            "email": f"r{n}@x.org",
            "pgy": pgy,
            "track": "CAT",
            "cohort": 0,
            "requests": list(requests),
        }
        for n, (pgy, requests) in enumerate(people)
    ]
    return {
        "format": "residency-bundle/1",
        "program": {"slug": "rules", "name": "Rules", "institution": "X", "timezone": "UTC"},
        "academic_years": [{"name": "2027-2028", "start": START.isoformat(), "weeks": weeks}],
        "template": template or {"x_weeks": 1, "y_weeks": 0, "cohorts": 1},
        "tracks": [{"code": "CAT", "name": "Categorical", "ambulatory_share": list(band)}],
        "rotations": rotations,
        "requirements": list(requirements),
        "residents": residents,
        "faculty": [],
    }


def want(code: str, weight: int = 10) -> dict:
    return {"kind": "prefer", "rotation": code, "weight": weight}


def avoid(code: str, weeks, weight: int = 10) -> dict:
    return {"kind": "avoid", "rotation": code, "weeks": [day(w) for w in weeks], "weight": weight}


@pytest.fixture(params=["auto", "cpsat"])
def method(request):
    return request.param


def built(bundle: dict, method: str, problem=None):
    """Solve (wishes only: a preferred rotation wanted every week) and check."""
    weeks = bundle["academic_years"][0]["weeks"]
    weights = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0, prefer_weeks=weeks)
    problem = problem or problem_from_bundle(bundle)
    result = solve(problem, SolveOptions(time_limit_s=5, weights=weights, method=method))
    assert result.status in ("OPTIMAL", "FEASIBLE"), (result.status, result.explanation)
    return result, check_schedule(bundle, schedule_export(bundle, None, result))


def test_weekly_staffing_minimum_holds_against_everyone_preferring_elsewhere(method):
    rotations = [rotation("A", staffing=[{"pgy": [1], "min": 1, "max": 2}]), rotation("B")]
    _result, found = built(program(rotations, [(1, [want("B")]), (1, [want("B")])]), method)
    assert found == []


def test_weekly_staffing_maximum_holds_against_everyone_avoiding_the_rest(method):
    rotations = [rotation("A", staffing=[{"pgy": [1], "min": 0, "max": 1}]), rotation("B")]
    wishes = [avoid("B", range(6))]
    result, found = built(program(rotations, [(1, wishes), (1, wishes)]), method)
    assert found == [] and result.objective == 60


def test_a_requirement_minimum_holds_against_a_wish(method):
    rotations = [rotation("A"), rotation("B")]
    needs = [{"tracks": "*", "pgy": [1], "rotations": ["A"], "min_weeks": 2}]
    _result, found = built(program(rotations, [(1, [want("B")])], requirements=needs), method)
    assert found == []


def test_a_requirement_maximum_holds_against_a_wish(method):
    rotations = [rotation("A"), rotation("B")]
    needs = [{"tracks": "*", "pgy": [1], "rotations": ["A"], "max_weeks": 2}]
    _result, found = built(program(rotations, [(1, [want("A")])], requirements=needs), method)
    assert found == []


def test_max_consecutive_weeks_hold_against_a_wish(method):
    rotations = [rotation("A", max_consecutive_weeks=2), rotation("B")]
    _result, found = built(program(rotations, [(1, [want("A")])]), method)
    assert found == []


def test_a_min_run_holds_although_one_lone_week_would_cost_nothing(method):
    template = {"x_weeks": 6, "y_weeks": 1, "cohorts": 1}  # six X weeks, then a Y week
    rotations = [rotation("A", phase="x", min_run_weeks=3), rotation("B", phase="x")]
    rotations.append(rotation("C", setting="ambulatory", phase="y"))
    needs = [{"tracks": "*", "pgy": [1], "rotations": ["A"], "min_weeks": 1}]
    wishes = [avoid("A", [0, 1, 3, 4, 5])]
    bundle = program(rotations, [(1, wishes)], requirements=needs, template=template)
    _result, found = built(bundle, method)
    assert found == []


def test_an_any_phase_min_run_holds_across_phase_flips(method):
    template = {"x_weeks": 2, "y_weeks": 1, "cohorts": 1}  # X X Y X X Y X X
    rotations = [
        rotation("A", phase="any", min_run_weeks=3),
        rotation("W", phase="x"),
        rotation("C", setting="ambulatory", phase="y"),
    ]
    needs = [{"tracks": "*", "pgy": [1], "rotations": ["A"], "min_weeks": 1}]
    wishes = [avoid("A", [0, 1, 2, 4, 5, 6, 7])]  # week 3 alone would be free
    bundle = program(rotations, [(1, wishes)], weeks=8, requirements=needs, template=template)
    _result, found = built(bundle, method)
    assert found == []


def test_the_ambulatory_band_minimum_holds_against_a_wish(method):
    rotations = [rotation("A", setting="ambulatory"), rotation("B")]
    _result, found = built(program(rotations, [(1, [want("B")])], band=(0.5, 1.0)), method)
    assert found == []


def test_the_ambulatory_band_maximum_holds_against_a_wish(method):
    rotations = [rotation("A", setting="ambulatory"), rotation("B")]
    _result, found = built(program(rotations, [(1, [want("A")])], band=(0.0, 0.5)), method)
    assert found == []


def test_approved_vacation_holds_against_a_wish(method):
    rotations = [rotation("A"), rotation("VAC", setting="vacation")]
    wishes = [want("A"), {"kind": "vacation", "weeks": [day(2)]}]
    result, found = built(program(rotations, [(1, wishes)]), method)
    assert found == [] and result.assignments["R0"][2] == "VAC"


def test_pinned_cells_hold_against_a_wish(method):
    rotations = [rotation("A"), rotation("B")]
    bundle = program(rotations, [(1, [want("A")])])
    problem = replace(problem_from_bundle(bundle), fixed={("R0", 1): "B", ("R0", 4): "B"})
    result, found = built(bundle, method, problem)
    assert found == [] and result.assignments["R0"][1] == result.assignments["R0"][4] == "B"


def test_the_phase_holds_against_a_wish(method):
    template = {"x_weeks": 1, "y_weeks": 1, "cohorts": 1}  # X Y X Y X Y
    rotations = [rotation("A", phase="x"), rotation("C", setting="ambulatory", phase="y")]
    _result, found = built(program(rotations, [(1, [want("A")])], template=template), method)
    assert found == []


def test_leave_weeks_stay_empty_against_a_wish(method):
    rotations = [rotation("A"), rotation("B")]
    wishes = [want("A"), {"kind": "leave", "weeks": [day(2), day(3)]}]
    result, found = built(program(rotations, [(1, wishes)]), method)
    assert found == [] and result.assignments["R0"][2:4] == [None, None]


def test_every_other_week_has_exactly_one_rotation_though_all_are_avoided(method):
    rotations = [rotation("A"), rotation("B")]
    wishes = [avoid("A", range(6)), avoid("B", range(6))]
    result, found = built(program(rotations, [(1, wishes)]), method)
    assert found == [] and all(code is not None for code in result.assignments["R0"])
