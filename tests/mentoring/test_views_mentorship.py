"""The mentorship page: everything for its mentor, shared parts for its resident, metadata
for managers, nothing for anyone else."""

import pytest
from django.urls import reverse

from tests.mentoring.conftest import GOALS, ITEM, REFLECTION, SECRET

pytestmark = pytest.mark.django_db


def get(client, user, mentoring, slug="alpha"):
    client.force_login(user)
    return client.get(reverse("mentoring:mentorship_detail", args=[slug, mentoring.mentorship.pk]))


def test_the_mentor_sees_the_meetings_with_their_private_notes(client, mentoring):
    html = get(client, mentoring.cast.faculty_user, mentoring).content.decode()
    for text in (SECRET, GOALS, REFLECTION, ITEM, "Log a meeting"):
        assert text in html


def test_the_resident_sees_the_shared_parts(client, mentoring):
    response = get(client, mentoring.cast.resident_user, mentoring)
    html = response.content.decode()
    assert response.status_code == 200
    for text in (GOALS, REFLECTION, ITEM):
        assert text in html
    assert SECRET not in html and "Log a meeting" not in html


def test_a_director_sees_dates_formats_and_topics_only(client, mentoring):
    html = get(client, mentoring.cast.director, mentoring).content.decode()
    assert "2 Feb 2026" in html and "fellowship applications" in html and "In person" in html
    assert "Metadata only" in html
    for text in (SECRET, GOALS, REFLECTION, ITEM):
        assert text not in html


@pytest.mark.parametrize("who", ["other_mentor_user", "other_mentee_user"])
def test_it_rejects_other_mentors_and_residents(client, mentoring, who):
    assert get(client, getattr(mentoring, who), mentoring).status_code == 404


def test_it_rejects_outsiders(client, mentoring):
    assert get(client, mentoring.cast.other_director, mentoring).status_code == 404
    assert get(client, mentoring.cast.other_director, mentoring, "beta").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, mentoring):
    url = reverse("mentoring:mentorship_detail", args=["alpha", mentoring.mentorship.pk])
    assert client.get(url).status_code == 302
