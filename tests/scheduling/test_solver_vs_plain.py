"""Random small programs: the builder against the plain full model (bench/plain.py).

Both minimise the same objective (the weighted wishes). Whatever each finds in its time,
neither may claim a bound above a schedule the other found, both schedules pass the
independent checker, the builder finds a schedule whenever the plain model does, and two
proven optima agree. The objective the builder reports is what its schedule's cells cost.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.plain import solve_plain
from programs.bundle.generator import generate_bundle
from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from scheduling.solver.problem import ObjectiveWeights
from scheduling.solver.report import wish_loss
from tests.support.schedule_checker import check_schedule

WISHES = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0)
TEMPLATES = [
    {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
    {"x_weeks": 4, "y_weeks": 1, "cohorts": 5},
    {"x_weeks": 6, "y_weeks": 2, "cohorts": 4},
]
programs = st.fixed_dictionaries(
    {
        "residents": st.integers(min_value=12, max_value=24),
        "weeks": st.integers(min_value=12, max_value=26),
        "seed": st.integers(min_value=0, max_value=10_000),
        "template": st.sampled_from(TEMPLATES),
        "contested": st.booleans(),
        "long_runs": st.booleans(),
    }
)


@settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(spec=programs)
def test_the_builder_and_the_plain_model_never_contradict_each_other(spec):
    bundle = generate_bundle(
        residents=spec["residents"],
        weeks=spec["weeks"],
        seed=spec["seed"],
        contested=spec["contested"],
        long_runs=spec["long_runs"],
        **spec["template"],
    )
    problem = problem_from_bundle(bundle)
    plain = solve_plain(problem, WISHES, time_limit_s=6)
    options = SolveOptions(time_limit_s=6, weights=WISHES, seed=spec["seed"], choose_cohorts=False)
    ours = solve(problem, options)
    for result in (plain, ours):
        if result.assignments:
            assert check_schedule(bundle, schedule_export(bundle, None, result)) == []
    if plain.assignments:
        assert ours.assignments, (ours.status, ours.explanation)
    if ours.assignments:
        assert ours.objective == wish_loss(problem.with_cohorts(), ours.assignments)
    if plain.objective is not None and ours.best_bound is not None:
        assert ours.best_bound <= plain.objective + 1e-6
    if ours.objective is not None and plain.best_bound is not None:
        assert plain.best_bound <= ours.objective + 1e-6
    if plain.status == ours.status == "OPTIMAL":
        assert plain.objective == ours.objective
