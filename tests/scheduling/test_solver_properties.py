"""Properties over random small programs: feasible ones get a schedule the independent
checker passes; deliberately broken ones fail with an explanation that names the rule."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.bundle.generator import generate_bundle, generate_infeasible_bundle
from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from tests.support.schedule_checker import check_schedule

TEMPLATES = [
    {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
    {"x_weeks": 4, "y_weeks": 1, "cohorts": 5},
    {"x_weeks": 6, "y_weeks": 2, "cohorts": 4},
    {"x_weeks": 4, "y_weeks": 2, "cohorts": 3},
]
TRACKS = [("CAT", "PC", "PRE"), ("CAT",), ("CAT", "PC")]
#: words an explanation of each broken kind must contain
NAMES = {
    "icu_staffing": "ICU",
    "wards_requirement": "WARDS",
    "band": "PC band",
    "vacation_clash": "VAC",
    "min_run": "Min run",
}

programs = st.fixed_dictionaries(
    {
        "residents": st.integers(min_value=12, max_value=30),
        "weeks": st.integers(min_value=10, max_value=26),
        "seed": st.integers(min_value=0, max_value=10_000),
        "template": st.sampled_from(TEMPLATES),
        "tracks": st.sampled_from(TRACKS),
    }
)
SETTINGS = settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def bundle_of(spec: dict, make=generate_bundle, **extra) -> dict:
    return make(
        residents=spec["residents"],
        weeks=spec["weeks"],
        seed=spec["seed"],
        tracks=spec["tracks"],
        **spec["template"],
        **extra,
    )


@SETTINGS
@given(spec=programs)
def test_feasible_programs_get_a_schedule_the_checker_passes(spec):
    bundle = bundle_of(spec)
    result = solve(problem_from_bundle(bundle), SolveOptions(time_limit_s=6, seed=spec["seed"]))
    assert result.status in ("OPTIMAL", "FEASIBLE"), (result.status, result.explanation)
    assert check_schedule(bundle, schedule_export(bundle, None, result)) == []


@SETTINGS
@given(spec=programs, kind=st.sampled_from(sorted(NAMES)))
def test_broken_programs_fail_with_an_explanation_naming_the_rule(spec, kind):
    spec = {**spec, "tracks": ("CAT", "PC", "PRE"), "residents": max(spec["residents"], 20)}
    bundle = bundle_of(spec, make=lambda **kw: generate_infeasible_bundle(kind, **kw))
    result = solve(problem_from_bundle(bundle), SolveOptions(time_limit_s=8))
    assert result.status == "INFEASIBLE", (kind, result.status)
    assert result.explanation
    assert NAMES[kind] in "\n".join(result.explanation), (kind, result.explanation)
