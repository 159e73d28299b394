"""Benchmark the compliance engine: ``python -m bench.compliance [--residents N]``.

Builds synthetic facts for a 3+2 program (N residents x 3 academic years: one past, one
current, one draft) and prints the best-of-3 evaluation time and the findings count.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from scheduling.compliance import (
    ComplianceSettings,
    ProgramFacts,
    RequirementFacts,
    ResidentFacts,
    ResidentYearFacts,
    RotationFacts,
    StaffingFacts,
    YearFacts,
    evaluate,
)

YEARS = (
    YearFacts("2025-2026", date(2025, 6, 30), 52, "published"),
    YearFacts("2026-2027", date(2026, 6, 29), 52, "published"),
    YearFacts("2027-2028", date(2027, 6, 28), 53, "draft"),
)
AS_OF = date(2027, 1, 4)
X_ROTATIONS = ("WARDS", "WARDS", "WARDS", "ICU", "NF", "CARDS", "GERI", "AMBSUB", "ELEC", "ED")


def _staff(low: int, high: int, *levels: int) -> tuple[StaffingFacts, ...]:
    return (StaffingFacts(frozenset(levels or (1, 2, 3)), low, high),)


def synthetic_program() -> ProgramFacts:
    rotations = [
        RotationFacts("WARDS", "Wards", "inpatient", "x", _staff(40, 90), min_run_weeks=2),
        RotationFacts("ICU", "ICU", "critical_care", "x", _staff(12, 40), 3, intense=True),
        RotationFacts("NF", "Nights", "inpatient", "x", _staff(12, 40), 3, intense=True),
        RotationFacts("CARDS", "Cardiology", "inpatient", "x", _staff(12, 40)),
        RotationFacts(
            "GERI", "Geriatrics", "ambulatory", "x", experiences=frozenset({"geriatrics"})
        ),
        RotationFacts("AMBSUB", "Ambulatory subspecialty", "ambulatory", "x"),
        RotationFacts("ELEC", "Inpatient elective", "elective_inpatient", "x"),
        RotationFacts(
            "ED", "Emergency", "inpatient", "x", experiences=frozenset({"emergency_medicine"})
        ),
        RotationFacts("CLINIC", "Continuity clinic", "ambulatory", "y", is_clinic=True),
        RotationFacts("VAC", "Vacation", "vacation", "any"),
    ]
    return ProgramFacts(
        x_weeks=3,
        y_weeks=2,
        cohorts=5,
        rotations={r.code: r for r in rotations},
        tracks={"CAT": (0.34, 0.5), "PC": (0.5, 0.6)},
        requirements=(
            RequirementFacts(None, frozenset({1}), frozenset({"WARDS"}), 9),
            RequirementFacts(None, frozenset({1, 2, 3}), frozenset({"ICU"}), 3, 6),
            RequirementFacts(frozenset({"PC"}), frozenset({2, 3}), frozenset({"GERI"}), 2),
        ),
        settings=ComplianceSettings.from_overrides({"required_experiences": ["geriatrics"]}),
        years=YEARS,
        name="Synthetic 3+2 program",
    )


def synthetic_residents(count: int, seed: int = 7) -> list[ResidentFacts]:
    rng = random.Random(seed)
    residents = []
    for number in range(count):
        resident_id = f"R{number:04d}"
        track = "PC" if number % 5 == 0 else "CAT"
        first_pgy = 1 + number % 3  # PGY in the first of the three years
        years = []
        for offset, year in enumerate(YEARS):
            cohort = (number + offset) % 5
            weeks = []
            block_rotation = rng.choice(X_ROTATIONS)
            for week in range(year.weeks):
                if (week + cohort) % 5 >= 3:  # Y week: clinic, now and then vacation
                    weeks.append("VAC" if rng.random() < 0.08 else "CLINIC")
                    block_rotation = rng.choice(X_ROTATIONS)  # the next X block's rotation
                else:
                    weeks.append(None if rng.random() < 0.01 else block_rotation)
            years.append(
                ResidentYearFacts(
                    resident_id, year.name, first_pgy + offset, track, cohort, tuple(weeks)
                )
            )
        grad = 2025 + (3 - first_pgy)
        residents.append(
            ResidentFacts(
                resident_id,
                f"Resident {number}",
                pgy=first_pgy + 1,
                track=track,
                graduation_year=f"{grad}-{grad + 1}",
                years=tuple(years),
            )
        )
    return residents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=400)
    args = parser.parse_args()
    program = synthetic_program()
    residents = synthetic_residents(args.residents)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = evaluate(program, residents, year=None, as_of=AS_OF)
        timings.append(time.perf_counter() - started)
    print(
        f"{args.residents} residents x {len(YEARS)} academic years: "
        f"best of 3 {min(timings) * 1000:.0f} ms; {len(report.findings)} findings "
        f"({report.counts['critical']} critical, {report.counts['warning']} warning, "
        f"{report.counts['info']} info)"
    )


if __name__ == "__main__":
    main()
