"""The bundle generator: valid residency-bundle/1 dicts, deterministic, feasible at any size."""

from datetime import date

import pytest

from programs.bundle.generator import (
    INFEASIBLE_KINDS,
    INTERESTS,
    generate_bundle,
    generate_infeasible_bundle,
)
from scheduling.solver import precheck, problem_from_bundle

KEYS = {"format", "program", "academic_years", "template", "tracks", "rotations"}
KEYS |= {"requirements", "residents", "faculty"}


def test_it_is_deterministic_for_a_seed():
    assert generate_bundle(residents=80, seed=5) == generate_bundle(residents=80, seed=5)
    assert generate_bundle(residents=80, seed=5) != generate_bundle(residents=80, seed=6)


@pytest.mark.parametrize("residents", [20, 500])
def test_it_produces_the_shape_of_the_spec(residents):
    bundle = generate_bundle(residents=residents, seed=1, slug="big-im")
    assert set(bundle) == KEYS
    assert bundle["format"] == "residency-bundle/1"
    assert bundle["program"]["slug"] == "big-im"
    year = bundle["academic_years"][0]
    assert date.fromisoformat(year["start"]).weekday() == 0 and year["weeks"] == 52
    people = bundle["residents"]
    assert len(people) == residents
    assert len({p["id"] for p in people}) == residents
    assert len({p["email"] for p in people}) == residents
    assert {p["pgy"] for p in people} == {1, 2, 3}
    assert all(p["track"] in {"CAT", "PC", "PRE"} for p in people)
    for rotation in bundle["rotations"]:
        assert rotation["phase"] in {"x", "y", "any"}
        for spec in rotation.get("staffing", []):
            assert 0 <= spec["min"] <= spec["max"]
    kinds = {q["kind"] for p in people for q in p["requests"]}
    assert {"vacation", "prefer"} <= kinds


def test_faculty_can_mentor_every_resident_with_interests_from_the_list():
    bundle = generate_bundle(residents=123, seed=2)
    assert sum(f["mentor_capacity"] for f in bundle["faculty"]) >= 123
    assert all(set(f["interests"]) <= set(INTERESTS) for f in bundle["faculty"])
    assert all(2 <= len(f["interests"]) <= 3 for f in bundle["faculty"])


def test_requests_stay_inside_the_year():
    bundle = generate_bundle(residents=200, seed=3)
    start = date.fromisoformat(bundle["academic_years"][0]["start"])
    for person in bundle["residents"]:
        for request in person["requests"]:
            for day in request.get("weeks", []):
                offset = (date.fromisoformat(day) - start).days
                assert 0 <= offset < 52 * 7 and offset % 7 == 0


@pytest.mark.parametrize("residents", [20, 50, 100, 200, 400, 500])
def test_generated_programs_pass_the_prechecks_at_every_size(residents):
    problem = problem_from_bundle(generate_bundle(residents=residents, seed=residents))
    assert precheck(problem.with_cohorts()) == []


@pytest.mark.parametrize(
    "template",
    [
        {"x_weeks": 4, "y_weeks": 1, "cohorts": 5},
        {"x_weeks": 6, "y_weeks": 2, "cohorts": 4},
        {"x_weeks": 4, "y_weeks": 2, "cohorts": 6},
        {"x_weeks": 4, "y_weeks": 2, "cohorts": 3},
    ],
)
def test_other_templates_pass_the_prechecks(template):
    bundle = generate_bundle(residents=60, seed=1, **template)
    assert bundle["template"] == template
    assert precheck(problem_from_bundle(bundle).with_cohorts()) == []


def test_it_rejects_a_year_that_does_not_start_on_a_monday():
    with pytest.raises(ValueError, match="Monday"):
        generate_bundle(year_start=date(2027, 7, 1))


@pytest.mark.parametrize("kind", [k for k in INFEASIBLE_KINDS if k != "min_run"])
def test_infeasible_variants_fail_the_prechecks(kind):
    bundle = generate_infeasible_bundle(kind, residents=40, seed=1)
    assert precheck(problem_from_bundle(bundle).with_cohorts())


def test_the_min_run_variant_hides_from_the_prechecks():
    bundle = generate_infeasible_bundle("min_run", residents=40, seed=1)
    assert precheck(problem_from_bundle(bundle).with_cohorts()) == []


def test_it_rejects_an_unknown_infeasible_kind():
    with pytest.raises(ValueError, match="unknown kind"):
        generate_infeasible_bundle("nope")


def test_generated_bundles_pass_the_importers_validation():
    from programs.bundle import bundle_problems

    for residents in (20, 100, 400):
        for seed in range(3):
            assert bundle_problems(generate_bundle(residents=residents, seed=seed)) == []


@pytest.mark.parametrize("residents", [72, 400])
def test_no_two_people_share_a_name(residents):
    # The demo showed two "Zoe Patel"s and two "Paula Khan"s on one week of the wards: a
    # director cannot tell them apart on the grid, the on-service page or a request.
    bundle = generate_bundle(residents=residents, seed=2027)
    names = [r["name"] for r in bundle["residents"]]
    assert len(names) == len(set(names))
    faculty = [f["name"] for f in bundle["faculty"]]
    assert len(faculty) == len(set(faculty))
