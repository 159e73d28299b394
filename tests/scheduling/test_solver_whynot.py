"""'Why didn't I get my wish?': granted at a cost, impossible with the rules named, or unknown."""

from scheduling.solver import SolveOptions, problem_from_bundle, solve
from scheduling.solver.problem import ObjectiveWeights
from scheduling.solver.whynot import why_not, wishes_of
from tests.scheduling.test_solver_exact import tiny_program

WISHES = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0)


def built(seed: int = 1):
    problem = problem_from_bundle(tiny_program(seed)).with_cohorts()
    result = solve(problem, SolveOptions(time_limit_s=5, weights=WISHES))
    assert result.status == "OPTIMAL"
    return problem, result


def unmet(problem, result):
    """(resident id, wish index) of every wish the schedule does not grant."""
    from scheduling.solver.report import unmet_wishes

    out = []
    for res in problem.residents:
        missed = {(k, c) for k, c, _, _ in unmet_wishes(problem, res, result.assignments[res.id])}
        for i, wish in enumerate(wishes_of(problem, res.id)):
            if (wish[0], wish[1]) in missed:
                out.append((res.id, i))
    return out


def test_an_unmet_wish_of_an_optimal_schedule_costs_something_to_grant():
    problem, result = built()
    rid, index = unmet(problem, result)[0]
    answer = why_not(
        problem, result.assignments, rid, index, SolveOptions(time_limit_s=5, weights=WISHES)
    )
    if answer.possible:
        assert answer.extra_cost >= 0  # the schedule was optimal: granting cannot be cheaper
        assert "can be granted" in answer.words[0]
        assert len(answer.words) >= 2
    else:
        assert answer.possible is False and "cannot be granted" in answer.words[0]


def test_a_granted_wish_is_said_to_be_granted():
    problem, result = built()
    missed = set(unmet(problem, result))
    rid, index = next(
        (res.id, i)
        for res in problem.residents
        for i, _ in enumerate(wishes_of(problem, res.id))
        if (res.id, i) not in missed
    )
    answer = why_not(problem, result.assignments, rid, index)
    assert answer.possible and "already granted" in answer.words[0]


def test_a_wish_against_the_staffing_rules_names_them():
    # one resident, nights every week (NF needs exactly one resident), who wants no nights
    bundle = tiny_program(0)
    bundle["residents"] = bundle["residents"][:1]
    bundle["residents"][0]["requests"] = [
        {"kind": "avoid", "rotation": "NF", "weeks": ["2027-06-28"], "weight": 5}
    ]
    bundle["template"] = {"x_weeks": 1, "y_weeks": 0, "cohorts": 1}
    bundle["rotations"][3]["phase"] = "any"
    bundle["tracks"][0]["ambulatory_share"] = [0.0, 1.0]
    bundle["requirements"] = []
    problem = problem_from_bundle(bundle).with_cohorts()
    result = solve(problem, SolveOptions(time_limit_s=5, weights=WISHES, precheck=False))
    assert result.status == "OPTIMAL"
    answer = why_not(problem, result.assignments, "T0", 0)
    assert answer.possible is False
    assert "cannot be granted" in answer.words[0]
    assert any("NF" in line and "staffing" in line.lower() for line in answer.words[1:])
