"""The program pages, each tried by an insider, an outsider and an anonymous visitor."""

import pytest
from django.urls import reverse

from programs.models import Role
from tests.factories import ResidentFactory, RotationFactory, StaffingRuleFactory

PAGES = [
    ("programs:overview", lambda c: ["alpha"]),
    ("programs:roster", lambda c: ["alpha"]),
    ("programs:resident_detail", lambda c: ["alpha", c.resident.pk]),
    ("programs:people", lambda c: ["alpha"]),
    ("programs:invite", lambda c: ["alpha"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_shows_each_page_to_the_director(client, two_programs, name, args):
    client.force_login(two_programs.director)
    assert client.get(reverse(name, args=args(two_programs))).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_hides_each_page_from_outsiders(client, two_programs, name, args):
    client.force_login(two_programs.other_director)
    assert client.get(reverse(name, args=args(two_programs))).status_code == 404


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, two_programs, name, args):
    response = client.get(reverse(name, args=args(two_programs)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_keeps_residents_off_the_roster(client, two_programs):
    client.force_login(two_programs.resident_user)
    assert client.get(reverse("programs:roster", args=["alpha"])).status_code == 403
    assert client.get(reverse("programs:people", args=["alpha"])).status_code == 403


def test_it_sends_residents_from_the_overview_to_their_home_page(client, two_programs):
    client.force_login(two_programs.resident_user)
    response = client.get(reverse("programs:overview", args=["alpha"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("homes:home", args=["alpha"])


def test_it_lets_a_resident_open_only_their_own_record(client, two_programs):
    client.force_login(two_programs.resident_user)
    own = reverse("programs:resident_detail", args=["alpha", two_programs.resident.pk])
    assert client.get(own).status_code == 200
    classmate = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    other = reverse("programs:resident_detail", args=["alpha", classmate.pk])
    assert client.get(other).status_code == 403


def test_it_never_shows_another_programs_residents_on_the_roster(client, two_programs):
    client.force_login(two_programs.director)
    response = client.get(reverse("programs:roster", args=["alpha"]))
    assert two_programs.resident.name in response.content.decode()
    assert two_programs.other_resident.name not in response.content.decode()


def test_it_filters_the_roster_by_pgy_track_and_cohort(client, two_programs):
    track = two_programs.resident.track
    senior = ResidentFactory(program=two_programs.program, track=track, pgy=2, cohort=3)
    client.force_login(two_programs.director)
    url = reverse("programs:roster", args=["alpha"])
    page = client.get(url, {"pgy": 2}).content.decode()
    assert senior.name in page and two_programs.resident.name not in page
    page = client.get(url, {"cohort": 3, "track": track.code}).content.decode()
    assert senior.name in page and two_programs.resident.name not in page
    assert client.get(url, {"pgy": "not-a-number"}).status_code == 200


def test_it_sends_a_person_with_one_program_straight_to_it(client, two_programs):
    client.force_login(two_programs.director)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("homes:home", args=["alpha"])


def test_it_shows_rotations_with_their_staffing_on_the_overview(client, two_programs):
    rotation = RotationFactory(program=two_programs.program, code="ICU", name="Medical ICU")
    StaffingRuleFactory(rotation=rotation, pgy_levels=[1], min_residents=2, max_residents=3)
    client.force_login(two_programs.chief)
    page = client.get(reverse("programs:overview", args=["alpha"])).content.decode()
    assert "Medical ICU" in page and "PGY-1: 2–3" in page


def test_the_overview_runs_a_fixed_number_of_queries(
    client, two_programs, django_assert_max_num_queries
):
    client.force_login(two_programs.director)
    url = reverse("programs:overview", args=["alpha"])
    RotationFactory(program=two_programs.program)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for _ in range(30):
        StaffingRuleFactory(rotation=RotationFactory(program=two_programs.program))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_lets_directors_invite_and_records_the_role(
    client, two_programs, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:invite", args=["alpha"]),
            {"email": "new.chief@example.org", "role": Role.Kind.CHIEF_RESIDENT},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/invitations/" in mailoutbox[0].body


def test_it_refuses_a_resident_invitation_without_a_roster_record(client, two_programs):
    client.force_login(two_programs.director)
    response = client.post(
        reverse("programs:invite", args=["alpha"]),
        {"email": "x@example.org", "role": Role.Kind.RESIDENT},
    )
    assert response.status_code == 200
    assert "Choose the resident" in response.content.decode()


def test_it_refuses_invitations_from_coordinators_of_other_programs(client, two_programs):
    client.force_login(two_programs.other_director)
    response = client.post(
        reverse("programs:invite", args=["alpha"]),
        {"email": "x@example.org", "role": Role.Kind.FACULTY},
    )
    assert response.status_code == 404
