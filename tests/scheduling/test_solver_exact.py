"""Exact optima on tiny programs whose wishes conflict, checked by brute force.

Every schedule of a tiny program is enumerated here, from the spec alone (no solver code):
each resident's rows that meet their own rules, then every combination that meets weekly
staffing, scored by the objective of ``ObjectiveWeights`` (prefer, avoid, fairness,
continuity). The builder must reach that optimum, call it OPTIMAL, and never report a bound
above it: a bound that lies, or an objective that drops a term, fails here.
"""

import itertools
import random
from datetime import date, timedelta

import pytest

from bench.plain import solve_plain
from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
from scheduling.solver.problem import ObjectiveWeights
from tests.support.schedule_checker import check_schedule

WEEKS = 6
TEMPLATE = {"x_weeks": 2, "y_weeks": 1, "cohorts": 3}
ROTATIONS = [
    {
        "code": "WARDS",
        "name": "Wards",
        "setting": "inpatient",
        "phase": "x",
        "staffing": [{"pgy": [1, 2], "min": 0, "max": 2}],
    },
    {
        "code": "NF",
        "name": "Night float",
        "setting": "inpatient",
        "phase": "x",
        "staffing": [{"pgy": [1, 2], "min": 1, "max": 1}],
    },
    {"code": "ELEC", "name": "Elective", "setting": "elective_inpatient", "phase": "x"},
    {"code": "CLINIC", "name": "Clinic", "setting": "ambulatory", "phase": "y"},
]
WEIGHTS = ObjectiveWeights(prefer=1, avoid=1, fairness=2, continuity=1, fairness_slack=0)
WISHES_ONLY = ObjectiveWeights(prefer=1, avoid=1, fairness=0, continuity=0)


def week_day(week: int) -> str:
    return (date(2027, 6, 28) + timedelta(weeks=week)).isoformat()


def tiny_program(seed: int) -> dict:
    """Three residents (two PGY-1, one PGY-2), one per cohort; everyone wants the same
    nights off and most want the elective, which the staffing rules cannot all allow."""
    rng = random.Random(seed)
    people = []
    for n, pgy in enumerate((1, 1, 2)):
        first = rng.randrange(WEEKS - 1)
        requests = [
            {
                "kind": "avoid",
                "rotation": "NF",
                "weeks": [week_day(first), week_day(first + 1)],
                "weight": rng.randint(1, 9),
            }
        ]
        if rng.random() < 0.8:
            requests.append({"kind": "prefer", "rotation": "ELEC", "weight": rng.randint(1, 9)})
        people.append(
            {
                "id": f"T{n}",
                "name": f"Tiny {n}",
                "email": f"t{n}@x.org",
                "pgy": pgy,
                "track": "CAT",
                "cohort": n,
                "requests": requests,
            }
        )
    return {
        "format": "residency-bundle/1",
        "program": {"slug": "tiny", "name": "Tiny", "institution": "X", "timezone": "UTC"},
        "academic_years": [{"name": "2027-2028", "start": "2027-06-28", "weeks": WEEKS}],
        "template": TEMPLATE,
        "tracks": [{"code": "CAT", "name": "Categorical", "ambulatory_share": [0.2, 0.6]}],
        "rotations": ROTATIONS,
        "requirements": [{"tracks": "*", "pgy": [1, 2], "rotations": ["WARDS"], "min_weeks": 1}],
        "residents": people,
        "faculty": [],
    }


# -- brute force, from the spec ---------------------------------------------------------


def _phase(week: int, cohort: int) -> str:
    length = TEMPLATE["x_weeks"] + TEMPLATE["y_weeks"]
    step = length // TEMPLATE["cohorts"]
    return "y" if (week + cohort * step) % length >= TEMPLATE["x_weeks"] else "x"


def _rows(person: dict):
    """Every row of the resident that meets their own rules (phase, requirement, band)."""
    phases = [_phase(w, person["cohort"]) for w in range(WEEKS)]
    choices = [[r["code"] for r in ROTATIONS if r["phase"] in (ph, "any")] for ph in phases]
    for row in itertools.product(*choices):
        amb = sum(1 for k in row if k == "CLINIC")
        if row.count("WARDS") >= 1 and 0.2 <= amb / WEEKS <= 0.6:
            yield row, phases


def _own_cost(person: dict, row, phases, wt: ObjectiveWeights) -> int:
    """Prefer, avoid and continuity terms of one row."""
    cost = 0
    days = [week_day(w) for w in range(WEEKS)]
    for q in person["requests"]:
        if q["kind"] == "prefer":
            room = sum(1 for ph in phases if ph == "x")  # ELEC is an X rotation
            short = min(wt.prefer_weeks, room) - row.count(q["rotation"])
            cost += wt.prefer * q["weight"] * max(0, short)
        else:
            hits = sum(1 for w in range(WEEKS) if days[w] in q["weeks"] and row[w] == q["rotation"])
            cost += wt.avoid * q["weight"] * hits
    changes = sum(
        1 for w in range(WEEKS - 1) if phases[w] == phases[w + 1] and row[w] != row[w + 1]
    )
    return cost + wt.continuity * changes


def _fair(loads: list[int], slack: int) -> int:
    return min(
        sum(max(0, n - low - slack) + max(0, low - n) for n in loads)
        for low in range(min(loads), max(loads) + 1)
    )


def brute_force_optimum(bundle: dict, wt: ObjectiveWeights) -> int:
    people = bundle["residents"]
    options = []
    for person in people:
        options.append([(row, _own_cost(person, row, ph, wt)) for row, ph in _rows(person)])
    best = None
    for combo in itertools.product(*options):
        rows = [row for row, _ in combo]
        ok = all(
            sum(r[w] == "WARDS" for r in rows) <= 2 and sum(r[w] == "NF" for r in rows) == 1
            for w in range(WEEKS)
        )
        if not ok:
            continue
        cost = sum(c for _, c in combo)
        if wt.fairness:
            interns = [rows[i] for i, p in enumerate(people) if p["pgy"] == 1]
            for codes in (("NF",), ("ELEC",)):  # nights and electives (no critical care here)
                loads = [sum(1 for k in row if k in codes) for row in interns]
                cost += wt.fairness * _fair(loads, wt.fairness_slack)
        best = cost if best is None else min(best, cost)
    return best


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", ["auto", "cpsat"])
def test_the_builder_reaches_the_brute_force_optimum_and_proves_it(seed, method):
    bundle = tiny_program(seed)
    optimum = brute_force_optimum(bundle, WEIGHTS)
    assert optimum is not None and optimum > 0  # the wishes do conflict
    options = SolveOptions(time_limit_s=10, weights=WEIGHTS, method=method, seed=seed)
    result = solve(problem_from_bundle(bundle), options)
    assert result.status == "OPTIMAL", (result.status, result.objective, result.best_bound)
    assert result.objective == optimum
    assert result.best_bound <= optimum
    assert check_schedule(bundle, schedule_export(bundle, None, result)) == []


@pytest.mark.parametrize("seed", range(6))
def test_no_reported_bound_exceeds_the_optimum_even_when_time_runs_short(seed):
    bundle = tiny_program(seed)
    optimum = brute_force_optimum(bundle, WISHES_ONLY)
    options = SolveOptions(time_limit_s=0.5, weights=WISHES_ONLY, seed=seed, method="lns")
    result = solve(problem_from_bundle(bundle), options)
    assert result.best_bound is None or result.best_bound <= optimum
    if result.objective is not None:
        assert result.objective >= optimum


@pytest.mark.parametrize("seed", range(3))
def test_the_plain_yardstick_reaches_the_same_optimum(seed):
    bundle = tiny_program(seed)
    result = solve_plain(problem_from_bundle(bundle), WISHES_ONLY, time_limit_s=10)
    assert result.status == "OPTIMAL"
    assert result.objective == brute_force_optimum(bundle, WISHES_ONLY)
