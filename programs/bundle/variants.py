"""Variants of generated programs for benchmarks and tests (``generate_bundle`` options).

- *contested* wishes (``contested=True``): every resident wishes to avoid nights over the
  winter holidays, most interns ICU in July, and most want the same scarce elective. Weekly staffing
  minima on nights and ICU and the elective's staffing maximum make many of those wishes
  impossible to grant together, so the best schedule has a positive wish loss and a solver
  has to prove a bound well above what each resident could reach alone.
- *long runs* (``long_runs=True``): the inpatient and ambulatory electives may be taken in
  either phase (``any``) with stints of at least four weeks, and PGY-2/3 residents need
  four weeks of the inpatient elective. With 3-week X blocks such a stint has to run across
  a phase flip (spec: a flip does not end a run of an ``any`` rotation).

Both only add to a generated bundle; a separate random stream keeps the base bundle of a
seed unchanged.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from scheduling.xy import holiday_weeks

LONG_RUN_WEEKS = 4
LONG_RUN_ROTATIONS = ("ELEC", "AMBSUB")
SCARCE_ELECTIVE = "CARDS"


def contested_weeks(year_start: date, weeks: int) -> list[int]:
    """The winter holiday weeks (``xy.holiday_weeks``), or the middle two weeks of a short
    year that holds neither 24 nor 31 December."""
    return holiday_weeks(year_start, weeks) or [max(0, weeks // 2 - 1), weeks // 2]


def add_contested_wishes(bundle: dict[str, Any], seed: int) -> None:
    """Every resident avoids NF over the holidays, 90% of PGY-1 avoid ICU in the first four
    weeks, 85% want the cardiology elective, whose weekly maximum drops to about half of
    what they ask for (the inpatient elective takes the places it loses). Weights 3..10."""
    rng = random.Random(f"contested-{seed}")
    year = bundle["academic_years"][0]
    start, weeks = date.fromisoformat(year["start"]), int(year["weeks"])

    def days(span) -> list[str]:
        return [(start + timedelta(weeks=w)).isoformat() for w in span]

    holidays = days(contested_weeks(start, weeks))
    july = days(range(min(4, weeks)))
    wanting = 0
    for person in bundle["residents"]:
        requests = person.setdefault("requests", [])
        requests.append(
            {"kind": "avoid", "rotation": "NF", "weeks": holidays, "weight": rng.randint(3, 10)}
        )
        if person["pgy"] == 1 and rng.random() < 0.9:
            requests.append(
                {"kind": "avoid", "rotation": "ICU", "weeks": july, "weight": rng.randint(3, 8)}
            )
        wanted = {q.get("rotation") for q in requests if q["kind"] == "prefer"}
        if SCARCE_ELECTIVE not in wanted and rng.random() < 0.85:
            requests.append(
                {"kind": "prefer", "rotation": SCARCE_ELECTIVE, "weight": rng.randint(3, 10)}
            )
            wanting += 1
        elif SCARCE_ELECTIVE in wanted:
            wanting += 1
    rotations = {r["code"]: r for r in bundle["rotations"]}
    scarce = rotations[SCARCE_ELECTIVE]["staffing"][0]
    cap = max(scarce["min"], 1, round(wanting / weeks))  # about half of 2 weeks each
    if cap < scarce["max"]:
        rotations["ELEC"]["staffing"][0]["max"] += scarce["max"] - cap
        scarce["max"] = cap


def make_runs_long(bundle: dict[str, Any], scale) -> None:
    """Electives in any phase with 4-week minimum stints; PGY-2/3 need 4 weeks of ELEC.

    ``scale(n)`` scales a 52-week count to the bundle's year (short test years)."""
    for rotation in bundle["rotations"]:
        if rotation["code"] in LONG_RUN_ROTATIONS:
            rotation["phase"] = "any"
            rotation["min_run_weeks"] = LONG_RUN_WEEKS
    core = [t["code"] for t in bundle["tracks"] if t["code"] != "PRE"]
    bundle["requirements"].append(
        {"tracks": core, "pgy": [2, 3], "rotations": ["ELEC"], "min_weeks": scale(LONG_RUN_WEEKS)}
    )
