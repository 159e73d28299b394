"""What a build's outcome means, in a director's words: honest about proofs and time-outs."""

import pytest

from scheduling.solver.problem import SolveResult
from scheduling.solver.wording import cohorts_sentence, describe, how_much_better, verdict


def test_best_possible_only_when_proven():
    assert verdict("OPTIMAL") == "Best possible schedule found."
    assert verdict("FEASIBLE", gap=0.03) == "Good schedule; could be up to 3% better."
    assert "unknown" in verdict("FEASIBLE", gap=None)


def test_optimality_for_chosen_cohorts_says_so():
    assert verdict("OPTIMAL", scope="cohorts") == (
        "Best possible schedule for the cohorts the builder chose."
    )


def test_a_time_out_without_a_schedule_is_never_called_infeasible():
    text = verdict("UNKNOWN", time_limit_s=30)
    assert text == "No schedule found in 30 s — try a longer limit."
    assert "infeasible" not in text.lower() and "conflict" not in text.lower()


def test_only_a_proof_says_the_rules_conflict():
    assert "conflict" in verdict("INFEASIBLE")


def test_large_gaps_suggest_a_longer_limit():
    assert "try a longer limit" in verdict("FEASIBLE", gap=0.8)


def test_gaps_read_as_whole_percent_or_one_decimal():
    assert how_much_better(0.031) == "4%"
    assert how_much_better(0.004) == "0.4%"
    assert how_much_better(0.0004) == "less than 0.1%"


def test_cancelled_builds_say_whether_a_schedule_was_kept():
    assert "kept" in verdict("CANCELLED", has_schedule=True)
    assert "before a schedule" in verdict("CANCELLED", has_schedule=False)


def test_describe_reads_a_result():
    result = SolveResult(status="FEASIBLE", objective=100, best_bound=98, gap=0.02)
    assert describe(result) == "Good schedule; could be up to 2% better."
    result = SolveResult(status="OPTIMAL", bound_scope="cohorts", assignments={"A": ["X"]})
    assert "cohorts" in describe(result)


@pytest.mark.parametrize(
    ("status", "scope", "expected"),
    [
        ("OPTIMAL", "cohorts", "optimality is proven for these cohorts, not for every choice"),
        ("FEASIBLE", "cohorts", "the bound and the gap hold for these cohorts"),
        ("OPTIMAL", "overall", "optimality is proven overall"),
        ("FEASIBLE", "overall", "the gap holds overall"),
    ],
)
def test_the_build_says_what_its_proof_covers_when_it_chose_the_cohorts(status, scope, expected):
    result = SolveResult(
        status=status, bound_scope=scope, cohorts_chosen=True, assignments={"A": ["X"]}
    )
    assert expected in cohorts_sentence(result)


def test_nothing_is_said_about_cohorts_the_program_fixed():
    result = SolveResult(status="OPTIMAL", assignments={"A": ["X"]})
    assert cohorts_sentence(result) == ""
