"""The mentoring start page routes by role; its director dashboard has a fixed query count."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import FacultyFactory, ResidentFactory
from tests.mentoring.factories import ActionItemFactory, MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def url(name="mentoring:index", slug="alpha"):
    return reverse(name, args=[slug])


def get(client, user, name="mentoring:index", slug="alpha"):
    client.force_login(user)
    return client.get(url(name, slug))


def test_a_director_gets_the_program_dashboard(client, mentoring):
    response = get(client, mentoring.cast.director)
    assert response.status_code == 200
    assert "mentoring/director_dashboard.html" in [t.name for t in response.templates]
    assert response.context["program"] == mentoring.cast.program
    assert response.context["access"].can_manage


def test_a_mentor_gets_their_mentees(client, mentoring):
    response = get(client, mentoring.cast.faculty_user)
    assert "mentoring/mentor_dashboard.html" in [t.name for t in response.templates]
    assert mentoring.cast.resident.name in response.content.decode()
    assert reverse("mentoring:meeting_create", args=["alpha", mentoring.mentorship.pk]) in (
        response.content.decode()
    )


def test_a_resident_gets_their_own_page(client, mentoring):
    response = get(client, mentoring.cast.resident_user)
    assert "mentoring/resident_home.html" in [t.name for t in response.templates]
    assert mentoring.cast.faculty.name in response.content.decode()


def test_someone_without_a_mentoring_part_gets_an_explanation(client, mentoring):
    response = get(client, mentoring.cast.chief)
    assert response.status_code == 200
    assert "does not include mentoring" in response.content.decode()


def test_it_rejects_outsiders(client, mentoring):
    assert get(client, mentoring.cast.other_director).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, mentoring):
    response = client.get(url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_director_who_mentors_reaches_their_mentees_page(client, mentoring):
    record = FacultyFactory(program=mentoring.cast.program, user=mentoring.cast.director)
    MentorshipFactory(program=mentoring.cast.program, mentor=record)
    response = get(client, mentoring.cast.director, "mentoring:mentor_home")
    assert response.status_code == 200
    assert "My mentees" in response.content.decode()


def test_the_mentor_and_resident_pages_refuse_others(client, mentoring):
    assert get(client, mentoring.cast.director, "mentoring:mentor_home").status_code == 403
    assert get(client, mentoring.cast.faculty_user, "mentoring:resident_home").status_code == 403
    assert get(client, mentoring.cast.resident_user, "mentoring:resident_home").status_code == 200
    assert get(client, mentoring.cast.other_director, "mentoring:mentor_home").status_code == 404
    client.logout()
    assert client.get(url("mentoring:resident_home")).status_code == 302


def _grow(program, track, n):
    for _ in range(n):
        mentor = FacultyFactory(program=program, mentor_capacity=4)
        resident = ResidentFactory(program=program, track=track)
        mentorship = MentorshipFactory(
            program=program, mentor=mentor, resident=resident, started_on=datetime.date(2025, 6, 1)
        )
        meeting = MeetingFactory(mentorship=mentorship, occurred_on=datetime.date(2026, 1, 10))
        ActionItemFactory(meeting=meeting)
        ResidentFactory(program=program, track=track)  # one without a mentor


def test_the_director_dashboard_query_count_does_not_grow(
    client, mentoring, django_assert_max_num_queries
):
    client.force_login(mentoring.cast.director)
    program, track = mentoring.cast.program, mentoring.cast.resident.track
    _grow(program, track, 2)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url()).status_code == 200
    _grow(program, track, 40)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url())
    assert response.status_code == 200
    assert len(response.context["rows"]) == 44
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_mentor_dashboard_query_count_does_not_grow(
    client, mentoring, django_assert_max_num_queries
):
    client.force_login(mentoring.cast.faculty_user)
    with django_assert_max_num_queries(14) as few:
        client.get(url())
    program, track = mentoring.cast.program, mentoring.cast.resident.track
    for _ in range(3):
        m = MentorshipFactory(
            program=program,
            mentor=mentoring.cast.faculty,
            resident=ResidentFactory(program=program, track=track),
        )
        ActionItemFactory(meeting=MeetingFactory(mentorship=m))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())
