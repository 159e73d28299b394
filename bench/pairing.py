"""Benchmark the mentor pairing optimiser on a large synthetic program.

Run with `python -m bench.pairing`: 400 residents, 130 mentors (capacities 2-5, a tenth on
leave, a quarter of residents with a current mentor, most with a few ranked mentors). Prints
the time to propose, the total score and how many residents were paired, for a proposal
that keeps existing pairs and one that re-pairs the whole program. Target: under 5 s.
"""

import random
import time

from mentoring.pairing import MenteeCandidate, MentorCandidate, PairingOptions, propose_pairs
from mentoring.vocabulary import INTERESTS

TOPICS = list(INTERESTS)
AREAS = ["primary care", "hospital medicine", "cardiology", "GI", "pulmonary", "geriatrics"]


def synthetic_program(residents=400, mentors=130, seed=2024):
    """Return (mentees, mentors) with current pairs that fit each mentor's capacity."""
    rng = random.Random(seed)
    mentor_rows = [
        {
            "id": f"f{i:03d}",
            "name": f"Dr F{i:03d}",
            "interests": frozenset(rng.sample(TOPICS, rng.randint(2, 5))),
            "clinical_area": rng.choice(AREAS),
            "capacity": rng.randint(2, 5),
            "active": rng.random() > 0.1,
        }
        for i in range(mentors)
    ]
    mentees, taken = [], {row["id"]: [] for row in mentor_rows}
    for i in range(residents):
        current = None
        if rng.random() < 0.25:
            row = rng.choice(mentor_rows)
            if len(taken[row["id"]]) < row["capacity"]:
                current = row["id"]
        pgy = rng.randint(1, 3)
        mentee = MenteeCandidate(
            id=f"r{i:03d}",
            name=f"Resident {i:03d}",
            pgy=pgy,
            track=rng.choice(["Categorical", "Categorical", "Primary Care"]),
            goals=frozenset(rng.sample(TOPICS, rng.randint(1, 2))),
            interests=frozenset(rng.sample(TOPICS, rng.randint(1, 4))),
            ranked_mentor_ids=tuple(r["id"] for r in rng.sample(mentor_rows, rng.randint(0, 3))),
            current_mentor_id=current,
        )
        if current:
            taken[current].append(mentee)
        mentees.append(mentee)
    mentor_list = [
        MentorCandidate(
            **row,
            current_mentee_ids=frozenset(m.id for m in taken[row["id"]]),
            current_mentee_classes={
                p: sum(m.pgy == p for m in taken[row["id"]]) for p in (1, 2, 3)
            },
        )
        for row in mentor_rows
    ]
    return mentees, mentor_list


def main() -> None:
    mentees, mentors = synthetic_program()
    places = sum(m.capacity for m in mentors if m.active)
    print(f"{len(mentees)} residents, {len(mentors)} mentors, {places} places with active mentors")
    for label, options in (
        ("keep existing pairs", PairingOptions()),
        ("re-pair whole program", PairingOptions(keep_existing=False)),
    ):
        start = time.perf_counter()
        proposal = propose_pairs(mentees, mentors, options)
        elapsed = time.perf_counter() - start
        print(
            f"{label}: {elapsed:.2f} s, total score {proposal.total_score}, "
            f"paired {proposal.paired_count}/{len(mentees)}, unpaired {len(proposal.unpaired)}"
        )


if __name__ == "__main__":
    main()
