"""Arithmetic prechecks name the rule that makes a program impossible, before any solve."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from programs.bundle.generator import generate_bundle, generate_infeasible_bundle
from scheduling.solver import precheck, problem_from_bundle

DEMO = Path(__file__).resolve().parents[3] / "shared" / "data" / "demo-program.json"


def problem(bundle):
    return problem_from_bundle(bundle).with_cohorts()


@pytest.mark.skipif(not DEMO.exists(), reason="shared demo bundle not available")
def test_it_finds_nothing_wrong_with_the_demo_program():
    assert precheck(problem(json.loads(DEMO.read_text()))) == []


@pytest.mark.parametrize("residents", [20, 60, 200])
def test_it_finds_nothing_wrong_with_generated_programs(residents):
    assert precheck(problem(generate_bundle(residents=residents, seed=3))) == []


def test_it_compares_yearly_staffing_minima_with_requirement_maxima():
    bundle = generate_infeasible_bundle("icu_staffing", residents=40, seed=1)
    issues = precheck(problem(bundle))
    assert any(
        "ICU needs at least" in line and "in each of 52 weeks" in line and "allow at most" in line
        for line in issues
    ), issues


def test_it_compares_requirement_minima_with_staffing_maxima():
    issues = precheck(problem(generate_infeasible_bundle("wards_requirement", residents=40)))
    assert any("WARDS takes at most" in line and "need" in line for line in issues), issues


def test_it_reports_a_band_no_schedule_can_reach():
    issues = precheck(problem(generate_infeasible_bundle("band", residents=40, seed=2)))
    assert any("below the PC band minimum of 90%" in line for line in issues), issues


def test_it_reports_weeks_held_over_a_maximum_by_approved_vacation():
    issues = precheck(problem(generate_infeasible_bundle("vacation_clash", residents=40)))
    assert any("VAC takes at most" in line for line in issues), issues
    assert any("only 0 can be on it" in line for line in issues), issues


def test_it_checks_a_requirement_against_the_weeks_a_resident_has():
    p = problem(generate_bundle(residents=20, seed=1))
    wards = next(q for q in p.requirements if q.rotations == ("WARDS",) and 1 in q.pgy)
    harder = replace(wards, min_weeks=40)
    p = replace(p, requirements=tuple(harder if q is wards else q for q in p.requirements))
    issues = precheck(p)
    assert any("cannot meet requirement #1" in line and "only" in line for line in issues)


def test_it_reports_a_pin_on_a_leave_week_and_in_the_wrong_phase():
    p = problem(generate_bundle(residents=20, seed=1))
    res = p.residents[0]
    phases = p.phases_of(res)
    y_week = phases.index("y")
    on_leave = replace(res, leave_weeks=(y_week + 1,))
    p = replace(p, residents=(on_leave, *p.residents[1:]))
    p = replace(p, fixed={(res.id, y_week): "WARDS", (res.id, y_week + 1): "CLINIC"})
    issues = precheck(p)
    assert any("a leave week" in line for line in issues), issues
    assert any("phase-x rotation" in line for line in issues), issues


def test_it_rejects_a_requirement_whose_minimum_exceeds_its_maximum():
    p = problem(generate_bundle(residents=20, seed=1))
    broken = replace(p.requirements[1], min_weeks=7, max_weeks=5)
    p = replace(p, requirements=(p.requirements[0], broken, *p.requirements[2:]))
    assert any("minimum above its maximum" in line for line in precheck(p))


def test_it_collapses_a_cause_repeated_for_many_residents():
    issues = precheck(problem(generate_infeasible_bundle("band", residents=200, seed=2)))
    assert any(line.startswith("... and") for line in issues)
    assert len(issues) < 15
