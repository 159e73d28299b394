"""Writes for mentoring profiles: a faculty member's mentor profile, a resident's career
goals, interests and ranked mentor preferences."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from mentoring.models import MentorPreference
from programs.models import Faculty, Resident

MAX_PREFERENCES = 3
MAX_CAPACITY = 20
MAX_TERMS = 20


def _check_terms(field: str, terms: Sequence[str]) -> None:
    if len(terms) > MAX_TERMS:
        raise ValidationError({field: f"At most {MAX_TERMS} entries."})
    if any(len(term) > 80 for term in terms):
        raise ValidationError({field: "Each entry has at most 80 characters."})


def mentor_profile_update(
    *,
    faculty: Faculty,
    by,
    interests: Sequence[str],
    clinical_area: str,
    mentor_capacity: int,
    availability: str,
    mentor_status: str,
) -> Faculty:
    """Store a faculty member's mentor profile; return it.

    A capacity below the current number of mentees is allowed: no mentorship is ended, the
    mentor simply gets no new mentee (the pairing optimiser's rule for overfilled mentors).
    """
    _check_terms("interests", interests)
    if not 0 <= mentor_capacity <= MAX_CAPACITY:
        raise ValidationError({"mentor_capacity": f"Between 0 and {MAX_CAPACITY} mentees."})
    faculty.interests = list(interests)
    faculty.clinical_area = clinical_area.strip()
    faculty.mentor_capacity = mentor_capacity
    faculty.availability = availability.strip()
    faculty.mentor_status = mentor_status
    fields = ["interests", "clinical_area", "mentor_capacity", "availability", "mentor_status"]
    with transaction.atomic():
        faculty.full_clean()
        faculty.save(update_fields=fields)
    return faculty


def resident_profile_update(
    *,
    resident: Resident,
    by,
    career_goals: Sequence[str],
    interests: Sequence[str],
    preferences: Sequence[Faculty],
) -> Resident:
    """Store a resident's career goals, interests and ranked mentor preferences (the first
    is rank 1); return the resident.

    Preferences: at most three, each once, only active mentors of the resident's program.
    """
    _check_terms("career_goals", career_goals)
    _check_terms("interests", interests)
    if len(preferences) > MAX_PREFERENCES:
        raise ValidationError({"preferences": f"Rank at most {MAX_PREFERENCES} mentors."})
    if len({f.pk for f in preferences}) != len(preferences):
        raise ValidationError({"preferences": "Rank each mentor once."})
    for faculty in preferences:
        if faculty.program_id != resident.program_id:
            raise ValidationError({"preferences": f"{faculty.name} is not in your program."})
        if faculty.mentor_status != Faculty.MentorStatus.ACTIVE:
            raise ValidationError(
                {"preferences": f"{faculty.name} is not taking mentees at the moment."}
            )
    resident.career_goals = list(career_goals)
    resident.interests = list(interests)
    with transaction.atomic():
        resident.full_clean()
        resident.save(update_fields=["career_goals", "interests"])
        MentorPreference.objects.filter(resident=resident).delete()
        rows = [
            MentorPreference(resident=resident, faculty=faculty, rank=rank)
            for rank, faculty in enumerate(preferences, start=1)
        ]
        for row in rows:
            row.full_clean(validate_constraints=False)
        MentorPreference.objects.bulk_create(rows)
    return resident
