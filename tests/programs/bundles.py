"""A small, valid residency-bundle/1 for tests, built fresh each call so tests can mutate it.

It has two tracks, six rotations (one of each setting, a night float and geriatrics), three
requirements (one for every track), six residents with every kind of request, and two faculty.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from django.db import models

from programs.models import (
    AcademicYear,
    Faculty,
    Program,
    Requirement,
    Resident,
    ResidentRequest,
    Rotation,
    StaffingRule,
    Track,
)

_BASE: dict[str, Any] = {
    "format": "residency-bundle/1",
    "program": {
        "slug": "test-im",
        "name": "Test Internal Medicine",
        "institution": "Example Medical Center",
        "timezone": "America/Chicago",
    },
    "academic_years": [{"name": "2027-2028", "start": "2027-06-28", "weeks": 52}],
    "template": {"x_weeks": 3, "y_weeks": 2, "cohorts": 5},
    "tracks": [
        {"code": "CAT", "name": "Categorical", "ambulatory_share": [0.34, 0.5]},
        {"code": "PC", "name": "Primary Care", "ambulatory_share": [0.5, 0.6]},
    ],
    "rotations": [
        {
            "code": "WARDS",
            "name": "General Medicine Wards",
            "setting": "inpatient",
            "phase": "x",
            "staffing": [{"pgy": [1], "min": 1, "max": 4}, {"pgy": [2, 3], "min": 1, "max": 3}],
            "min_run_weeks": 2,
        },
        {
            "code": "ICU",
            "name": "Medical ICU",
            "setting": "critical_care",
            "phase": "x",
            "staffing": [{"pgy": [1, 2, 3], "min": 1, "max": 2}],
            "max_consecutive_weeks": 3,
        },
        {
            "code": "NF",
            "name": "Night Float",
            "setting": "inpatient",
            "phase": "x",
            "max_consecutive_weeks": 2,
        },
        {"code": "CLINIC", "name": "Continuity Clinic", "setting": "ambulatory", "phase": "y"},
        {
            "code": "GERI",
            "name": "Geriatrics",
            "setting": "ambulatory",
            "phase": "x",
            "staffing": [{"pgy": [1, 2, 3], "min": 0}],
        },
        {"code": "VAC", "name": "Vacation", "setting": "vacation", "phase": "any"},
    ],
    "requirements": [
        {"tracks": "*", "pgy": [1], "rotations": ["WARDS"], "min_weeks": 4},
        {
            "tracks": ["CAT", "PC"],
            "pgy": [2, 3],
            "rotations": ["ICU"],
            "min_weeks": 2,
            "max_weeks": 6,
        },
        {"tracks": ["PC"], "pgy": [2, 3], "rotations": ["GERI"], "min_weeks": 2},
    ],
    "residents": [
        {
            "id": "R001",
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "pgy": 1,
            "track": "CAT",
            "requests": [
                {"kind": "vacation", "weeks": ["2027-09-13"]},
                {"kind": "prefer", "rotation": "WARDS", "weight": 5},
            ],
        },
        {
            "id": "R002",
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "pgy": 1,
            "track": "PC",
            "requests": [
                {"kind": "leave", "weeks": ["2027-10-04", "2027-10-11"]},
                {"kind": "vacation", "weeks": ["2027-12-20", "2027-12-27"]},
            ],
        },
        {
            "id": "R003",
            "name": "Alan Turing",
            "email": "alan@example.org",
            "pgy": 2,
            "track": "CAT",
            "requests": [{"kind": "avoid", "rotation": "NF", "weeks": ["2027-11-01"], "weight": 3}],
        },
        {
            "id": "R004",
            "name": "Katherine Johnson",
            "email": "katherine@example.org",
            "pgy": 2,
            "track": "PC",
            "cohort": 2,
            "requests": [],
        },
        {
            "id": "R005",
            "name": "Edsger Dijkstra",
            "email": "edsger@example.org",
            "pgy": 3,
            "track": "CAT",
            "requests": [],
        },
        {
            "id": "R006",
            "name": "Barbara Liskov",
            "email": "barbara@example.org",
            "pgy": 3,
            "track": "PC",
            "requests": [],
        },
    ],
    "faculty": [
        {
            "id": "F01",
            "name": "Dr. Carmen Walsh",
            "email": "carmen@example.org",
            "mentor_capacity": 3,
            "interests": ["quality improvement", "cardiology"],
        },
        {
            "id": "F02",
            "name": "Dr. Wen Tanaka",
            "email": "wen@example.org",
            "mentor_capacity": 2,
            "interests": ["primary care"],
        },
    ],
}


def small_bundle(*, slug: str = "test-im", residents: int | None = None) -> dict[str, Any]:
    """A fresh copy of the small valid bundle for program `slug`.

    With `residents`, the roster is made that long (the first six as above, then generated
    residents spread over the PGY levels and tracks, every third one with a vacation week).
    """
    bundle = copy.deepcopy(_BASE)
    bundle["program"]["slug"] = slug
    if residents is not None:
        people = bundle["residents"][:residents]
        for number in range(len(people) + 1, residents + 1):
            week = f"2028-0{1 + number % 6}-03"
            people.append(
                {
                    "id": f"R{number:03d}",
                    "name": f"Resident {number}",
                    "email": f"resident{number}@example.org",
                    "pgy": 1 + number % 3,
                    "track": ("CAT", "PC")[number % 2],
                    "requests": [{"kind": "vacation", "weeks": [_monday(week)]}]
                    if number % 3 == 0
                    else [],
                }
            )
        bundle["residents"] = people
    return bundle


def _monday(day: str) -> str:
    date = datetime.date.fromisoformat(day)
    return (date - datetime.timedelta(days=date.weekday())).isoformat()


def as_bytes(bundle: Any) -> bytes:
    return json.dumps(bundle, indent=2).encode()


COUNTED: tuple[type[models.Model], ...] = (
    Program,
    AcademicYear,
    Track,
    Rotation,
    StaffingRule,
    Requirement,
    Requirement.tracks.through,
    Requirement.rotations.through,
    Resident,
    ResidentRequest,
    Faculty,
)


def row_counts() -> dict[str, int]:
    """The number of rows in every table a bundle import writes to."""
    return {model._meta.db_table: model.objects.count() for model in COUNTED}
