"""Profile pages: mentors edit theirs, residents theirs (with ranked mentors), directors both."""

import pytest
from django.urls import reverse

from mentoring.models import MentorPreference
from programs.models import Faculty, Resident
from tests.factories import FacultyFactory

pytestmark = pytest.mark.django_db


def mentor_url(faculty, slug="alpha"):
    return reverse("mentoring:mentor_profile", args=[slug, faculty.pk])


def resident_url(resident, slug="alpha"):
    return reverse("mentoring:resident_profile", args=[slug, resident.pk])


MENTOR_FORM = {
    "interests": ["research", "global health"],
    "interests_other": "Ultrasound, POCUS",
    "clinical_area": "Hospital medicine",
    "mentor_capacity": "4",
    "availability": "Mondays",
    "mentor_status": "active",
}


def test_a_mentor_edits_their_profile(client, two_programs):
    client.force_login(two_programs.faculty_user)
    assert client.get(mentor_url(two_programs.faculty)).status_code == 200
    response = client.post(mentor_url(two_programs.faculty), MENTOR_FORM)
    assert response.status_code == 302
    faculty = Faculty.objects.get(pk=two_programs.faculty.pk)
    assert faculty.interests == ["research", "global health", "Ultrasound", "POCUS"]
    assert faculty.mentor_capacity == 4


def test_a_bad_capacity_re_renders_with_an_error(client, two_programs):
    client.force_login(two_programs.faculty_user)
    response = client.post(
        mentor_url(two_programs.faculty), {**MENTOR_FORM, "mentor_capacity": "-2"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["mentor_capacity"]


def test_a_director_edits_a_mentors_profile(client, two_programs):
    client.force_login(two_programs.director)
    assert client.post(mentor_url(two_programs.faculty), MENTOR_FORM).status_code == 302


def test_others_may_not_edit_a_mentor_profile(client, two_programs):
    other = FacultyFactory(program=two_programs.program)
    client.force_login(two_programs.faculty_user)
    assert client.post(mentor_url(other), MENTOR_FORM).status_code == 403
    client.force_login(two_programs.resident_user)
    assert client.get(mentor_url(two_programs.faculty)).status_code == 403
    client.force_login(two_programs.other_director)
    assert client.get(mentor_url(two_programs.faculty)).status_code == 404
    client.logout()
    assert client.get(mentor_url(two_programs.faculty)).status_code == 302
    assert Faculty.objects.get(pk=other.pk).mentor_capacity == 3


def resident_form(**overrides):
    data = {
        "career_goals": ["cardiology fellowship"],
        "career_goals_other": "",
        "interests": ["research"],
        "interests_other": "sports medicine",
        "choice_1": "",
        "choice_2": "",
        "choice_3": "",
    }
    data.update(overrides)
    return data


def test_a_resident_edits_goals_and_ranks_mentors(client, two_programs):
    second = FacultyFactory(program=two_programs.program)
    client.force_login(two_programs.resident_user)
    assert client.get(resident_url(two_programs.resident)).status_code == 200
    response = client.post(
        resident_url(two_programs.resident),
        resident_form(choice_1=second.pk, choice_3=two_programs.faculty.pk),
    )
    assert response.status_code == 302
    resident = Resident.objects.get(pk=two_programs.resident.pk)
    assert resident.career_goals == ["cardiology fellowship"]
    assert resident.interests == ["research", "sports medicine"]
    ranked = list(MentorPreference.objects.values_list("faculty", "rank"))
    assert ranked == [(second.pk, 1), (two_programs.faculty.pk, 2)]


def test_the_same_mentor_twice_is_refused(client, two_programs):
    client.force_login(two_programs.resident_user)
    pk = two_programs.faculty.pk
    response = client.post(
        resident_url(two_programs.resident), resident_form(choice_1=pk, choice_2=pk)
    )
    assert response.status_code == 400
    assert "already ranked" in response.context["form"].errors["choice_2"][0]
    assert not MentorPreference.objects.exists()


def test_only_active_mentors_of_the_program_can_be_ranked(client, two_programs):
    away = FacultyFactory(program=two_programs.program, mentor_status="on_leave")
    foreign = FacultyFactory(program=two_programs.other_program)
    client.force_login(two_programs.resident_user)
    for choice in (away, foreign):
        response = client.post(
            resident_url(two_programs.resident), resident_form(choice_1=choice.pk)
        )
        assert response.status_code == 400
    assert not MentorPreference.objects.exists()


def test_others_may_not_edit_a_residents_profile(client, two_programs):
    client.force_login(two_programs.faculty_user)
    assert client.get(resident_url(two_programs.resident)).status_code == 403
    client.force_login(two_programs.other_resident_user)
    assert client.get(resident_url(two_programs.resident)).status_code == 404
    client.force_login(two_programs.director)
    assert client.post(resident_url(two_programs.resident), resident_form()).status_code == 302
    client.logout()
    assert client.get(resident_url(two_programs.resident)).status_code == 302
