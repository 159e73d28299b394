"""Benchmark the compliance engine: ``python -m bench.compliance [--residents N] [--db]``.

Builds synthetic facts for a 3+2 program (N residents x 3 academic years: one past, one
current, one draft) and prints the best-of-3 evaluation time and the findings count.

With ``--db`` it also stores that program in the configured database (``DATABASE_URL``)
inside a transaction that is rolled back, and times the Django side: the facts selector
(``compliance_facts``) and a whole stored run (``compliance_run_create``: read, evaluate one
year, store the run, its figures and findings), with their query counts.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date

from compliance.engine import (
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


def _store(facts: ProgramFacts, residents: list[ResidentFacts]):
    """The synthetic program as database rows; returns (program, schedule of each year)."""
    from decimal import Decimal

    from programs.models import (
        AcademicYear,
        Program,
        Requirement,
        Resident,
        Rotation,
        StaffingRule,
        Track,
    )
    from scheduling.models import Assignment, Schedule, ScheduleVersion, VersionResident

    program = Program.objects.create(
        slug=f"bench-{time.time_ns()}", name=facts.name, x_weeks=3, y_weeks=2, cohorts=5
    )
    tracks = {
        code: Track.objects.create(
            program=program,
            code=code,
            name=code,
            ambulatory_min=Decimal(str(low)),
            ambulatory_max=Decimal(str(high)),
        )
        for code, (low, high) in facts.tracks.items()
    }
    rotations = {}
    for code, r in facts.rotations.items():
        rotations[code] = Rotation.objects.create(
            program=program,
            code=code,
            name=r.name,
            setting=r.setting,
            phase=r.phase,
            intense=r.intense,
            experiences=sorted(r.experiences),
            max_consecutive_weeks=r.max_consecutive_weeks,
            min_run_weeks=r.min_run_weeks,
        )
        for rule in r.staffing:
            StaffingRule.objects.create(
                rotation=rotations[code],
                pgy_levels=sorted(rule.pgy),
                min_residents=rule.min or 0,
                max_residents=rule.max,
            )
    for q in facts.requirements:
        requirement = Requirement.objects.create(
            program=program,
            all_tracks=q.tracks is None,
            pgy_levels=sorted(q.pgy),
            min_weeks=q.min_weeks,
            max_weeks=q.max_weeks,
        )
        requirement.rotations.set([rotations[c] for c in q.rotations])
        requirement.tracks.set([tracks[c] for c in q.tracks or ()])
    people = {
        row.external_id: row
        for row in Resident.objects.bulk_create(
            Resident(
                program=program,
                external_id=r.id,
                name=r.name,
                email=f"{r.id.lower()}@bench.test",
                pgy=r.pgy,
                track=tracks[r.track],
            )
            for r in residents
        )
    }
    schedules = {}
    for year in facts.years:
        row = AcademicYear.objects.create(
            program=program, name=year.name, start=year.start, weeks=year.weeks
        )
        schedule = Schedule.objects.create(program=program, academic_year=row)
        version = ScheduleVersion.objects.create(schedule=schedule, number=1, status=year.status)
        if year.status == "published":
            schedule.published_version = version
            schedule.save(update_fields=["published_version"])
        schedules[year.name] = schedule
        plans = [y for r in residents for y in r.years if y.academic_year == year.name]
        VersionResident.objects.bulk_create(
            VersionResident(
                version=version,
                resident=people[y.resident_id],
                pgy=y.pgy,
                track=tracks[y.track],
                cohort=y.cohort,
            )
            for y in plans
        )
        Assignment.objects.bulk_create(
            (
                Assignment(
                    version=version,
                    resident=people[y.resident_id],
                    week=week,
                    rotation=rotations[code],
                )
                for y in plans
                for week, code in enumerate(y.weeks)
                if code is not None
            ),
            batch_size=5000,
        )
    return program, schedules


def db_row(count: int) -> None:
    """Time the selector and a stored run on the configured database, then roll back."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency.settings.local")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from compliance.facts import compliance_facts
    from compliance.services import compliance_run_create

    with transaction.atomic():
        program, schedules = _store(synthetic_program(), synthetic_residents(count))
        current = schedules["2026-2027"]
        facts_times, run_times = [], []
        for _ in range(3):
            with CaptureQueriesContext(connection) as facts_queries:
                started = time.perf_counter()
                compliance_facts(program=program, as_of=AS_OF)
                facts_times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as run_queries:
                started = time.perf_counter()
                run = compliance_run_create(schedule=current, trigger="manual", as_of=AS_OF)
                run_times.append(time.perf_counter() - started)
        vendor = connection.vendor
        transaction.set_rollback(True)
    print(
        f"{vendor}: compliance_facts best of 3 {min(facts_times) * 1000:.0f} ms "
        f"({len(facts_queries)} queries); compliance_run_create (2026-2027) best of 3 "
        f"{min(run_times) * 1000:.0f} ms ({len(run_queries)} queries, "
        f"{run.critical_count + run.warning_count + run.info_count} findings stored)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=400)
    parser.add_argument(
        "--db", action="store_true", help="Also time the selector and a stored run (rolled back)"
    )
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
    if args.db:
        db_row(args.residents)


if __name__ == "__main__":
    main()
