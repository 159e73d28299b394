"""A tiny program with a built schedule, for the schedule pages and services.

Five residents over a ten-week year of the 3+2 template: small enough to solve in well
under a second, rich enough to break rules by hand (phase, staffing, requirements).
"""

from dataclasses import dataclass

import pytest

from programs.bundle import bundle_import
from programs.models import Program, Resident
from scheduling.models import BuildJob, Schedule, ScheduleVersion
from scheduling.services import builds


def tiny_bundle(slug: str = "alpha", residents: int = 5) -> dict:
    people = [
        {
            "id": f"T{n:02d}",
            "name": f"Tiny Resident {n:02d}",
            "email": f"tiny{n:02d}@example.org",
            "pgy": 1 + n % 2,
            "track": "CAT",
        }
        for n in range(1, residents + 1)
    ]
    people[0]["requests"] = [{"kind": "vacation", "weeks": ["2027-07-05"]}]
    return {
        "format": "residency-bundle/1",
        "program": {
            "slug": slug,
            "name": "Alpha IM",
            "institution": "Example Medical Center",
            "timezone": "America/New_York",
        },
        "academic_years": [{"name": "2027-2028", "start": "2027-06-28", "weeks": 10}],
        "template": {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
        "tracks": [{"code": "CAT", "name": "Categorical", "ambulatory_share": [0.3, 0.6]}],
        "rotations": [
            {
                "code": "WARDS",
                "name": "Wards",
                "setting": "inpatient",
                "phase": "x",
                "staffing": [{"pgy": [1, 2], "min": 1, "max": max(3, residents // 4 + 1)}],
            },
            {
                "code": "ICU",
                "name": "Medical ICU",
                "setting": "critical_care",
                "phase": "x",
                "max_consecutive_weeks": 2,
            },
            {"code": "CLINIC", "name": "Clinic", "setting": "ambulatory", "phase": "y"},
            {"code": "VAC", "name": "Vacation", "setting": "vacation", "phase": "any"},
        ],
        "requirements": [
            {"tracks": "*", "pgy": [1, 2], "rotations": ["WARDS"], "min_weeks": 2},
        ],
        "residents": people,
        "faculty": [
            {
                "id": "F01",
                "name": "Dr. Tiny Mentor",
                "email": "tiny.mentor@example.org",
                "mentor_capacity": 3,
                "interests": ["medical education"],
            }
        ],
    }


@dataclass
class Built:
    program: Program
    schedule: Schedule
    version: ScheduleVersion
    residents: list


def build(schedule: Schedule, **job) -> BuildJob:
    job = BuildJob.objects.create(
        schedule=schedule, time_limit_s=job.pop("time_limit_s", 10), **job
    )
    return builds.build_job_run(job_id=job.pk)


def make_built(two_programs, residents: int = 5) -> Built:
    """The cast's program "alpha", filled from the tiny bundle and built once (draft v1)."""
    Resident.objects.filter(pk=two_programs.resident.pk).update(status="graduated", user=None)
    bundle_import(data=tiny_bundle(residents=residents))
    program = Program.objects.get(slug="alpha")
    # The cast's resident account now stands for the first tiny resident.
    Resident.objects.filter(program=program, external_id="T01").update(
        user=two_programs.resident_user
    )
    year = program.academic_years.get()
    schedule = builds.schedule_get_or_create(year=year)
    job = build(schedule)
    assert job.status == BuildJob.Status.SUCCEEDED, job.explanation
    residents = list(Resident.objects.filter(program=program, external_id__startswith="T"))
    return Built(program, schedule, job.result_version, residents)


@pytest.fixture
def built(two_programs) -> Built:
    return make_built(two_programs)
