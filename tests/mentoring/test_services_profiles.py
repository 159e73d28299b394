"""Mentor and resident profiles, and the resident's ranked preferences."""

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import MentorPreference
from mentoring.services.profiles import mentor_profile_update, resident_profile_update
from programs.models import Faculty
from tests.factories import FacultyFactory

pytestmark = pytest.mark.django_db


def update_mentor(faculty, **overrides):
    values = {
        "faculty": faculty,
        "by": None,
        "interests": ["research", "global health"],
        "clinical_area": " cardiology ",
        "mentor_capacity": 4,
        "availability": "Fridays",
        "mentor_status": Faculty.MentorStatus.ON_LEAVE,
    }
    values.update(overrides)
    return mentor_profile_update(**values)


def test_a_mentor_profile_is_stored(two_programs):
    update_mentor(two_programs.faculty)
    faculty = Faculty.objects.get(pk=two_programs.faculty.pk)
    assert faculty.interests == ["research", "global health"]
    assert (faculty.clinical_area, faculty.mentor_capacity) == ("cardiology", 4)
    assert faculty.mentor_status == "on_leave"


@pytest.mark.parametrize("capacity", [-1, 21])
def test_a_capacity_out_of_range_is_refused(two_programs, capacity):
    with pytest.raises(ValidationError):
        update_mentor(two_programs.faculty, mentor_capacity=capacity)


def test_an_unknown_status_is_refused(two_programs):
    with pytest.raises(ValidationError):
        update_mentor(two_programs.faculty, mentor_status="retired")


def mentors(program, n=4, **kwargs):
    return [FacultyFactory(program=program, **kwargs) for _ in range(n)]


def test_a_resident_ranks_up_to_three_mentors(two_programs):
    first, second, third, _ = mentors(two_programs.program)
    resident = two_programs.resident
    resident_profile_update(
        resident=resident,
        by=None,
        career_goals=["GI fellowship"],
        interests=["research"],
        preferences=[second, first, third],
    )
    ranked = list(MentorPreference.objects.filter(resident=resident).values_list("faculty", "rank"))
    assert ranked == [(second.pk, 1), (first.pk, 2), (third.pk, 3)]
    resident.refresh_from_db()
    assert resident.career_goals == ["GI fellowship"]


def test_new_preferences_replace_the_old_ones(two_programs):
    first, second, *_ = mentors(two_programs.program)
    resident = two_programs.resident
    for choice in ([first, second], [second]):
        resident_profile_update(
            resident=resident, by=None, career_goals=[], interests=[], preferences=choice
        )
    assert list(resident.mentor_preferences.values_list("faculty", "rank")) == [(second.pk, 1)]


@pytest.mark.parametrize(
    "case, message",
    [
        ("four", "at most 3"),
        ("twice", "once"),
        ("foreign", "not in your program"),
        ("on_leave", "not taking mentees"),
    ],
)
def test_bad_preferences_are_refused_and_nothing_changes(two_programs, case, message):
    program = two_programs.program
    choices = {
        "four": mentors(program),
        "twice": [two_programs.faculty, two_programs.faculty],
        "foreign": mentors(two_programs.other_program, 1),
        "on_leave": mentors(program, 1, mentor_status=Faculty.MentorStatus.ON_LEAVE),
    }[case]
    with pytest.raises(ValidationError, match=message):
        resident_profile_update(
            resident=two_programs.resident,
            by=None,
            career_goals=["research"],
            interests=[],
            preferences=choices,
        )
    two_programs.resident.refresh_from_db()
    assert two_programs.resident.career_goals == []
    assert not MentorPreference.objects.exists()
