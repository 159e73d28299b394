"""Cohorts as the builder's decision, and what its proofs then cover."""

from collections import Counter
from dataclasses import replace

from programs.bundle.generator import generate_bundle
from scheduling.solver import SolveOptions, problem_from_bundle, solve
from scheduling.solver.cohorts import choose_cohorts, exposure
from scheduling.solver.problem import ObjectiveWeights

WISHES = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0)


def spread(problem) -> Counter:
    return Counter((r.track, r.pgy, r.cohort) for r in problem.residents)


def test_chosen_cohorts_keep_the_even_spread_and_lower_the_wish_exposure():
    problem = problem_from_bundle(generate_bundle(residents=40, seed=3, contested=True))
    default = problem.with_cohorts()
    chosen, decided = choose_cohorts(problem)
    assert decided and spread(chosen) == spread(default)

    def total(p):
        return sum(exposure(p, r, r.cohort) for r in p.residents)

    assert total(chosen) <= total(default)


def test_fixed_cohorts_are_kept():
    problem = problem_from_bundle(generate_bundle(residents=30, seed=4, contested=True))
    pinned = replace(problem.residents[0], cohort=2)
    problem = replace(problem, residents=(pinned, *problem.residents[1:]))
    chosen, _ = choose_cohorts(problem)
    assert chosen.residents[0].cohort == 2


def test_a_proof_for_cohorts_the_builder_chose_says_so():
    bundle = generate_bundle(residents=24, weeks=20, seed=5, contested=True)
    result = solve(problem_from_bundle(bundle), SolveOptions(time_limit_s=5, weights=WISHES))
    assert result.cohorts_chosen and result.objective > 0
    assert result.bound_scope == "cohorts"


def test_a_proof_with_every_cohort_fixed_by_the_bundle_holds_overall():
    bundle = generate_bundle(residents=24, weeks=20, seed=5, contested=True)
    problem = problem_from_bundle(bundle).with_cohorts()  # as if the bundle fixed them
    result = solve(problem, SolveOptions(time_limit_s=5, weights=WISHES))
    assert not result.cohorts_chosen and result.bound_scope == "overall"
