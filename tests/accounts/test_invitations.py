"""Joining by invitation: the only way in, since nobody can sign up on their own."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import invitation_create
from programs.models import Role


@pytest.fixture
def invitation(two_programs):
    return invitation_create(
        program=two_programs.program,
        email="Newcomer@Example.org",
        role=Role.Kind.RESIDENT,
        resident=None,
        by=two_programs.director,
    )


def test_it_creates_the_account_and_the_role(client, invitation):
    url = reverse("invitation_accept", args=[invitation.token])
    response = client.post(
        url,
        {"name": "New Comer", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert Role.objects.filter(user=user, program=invitation.program, kind="resident").exists()
    assert client.get(reverse("programs:overview", args=["alpha"])).status_code in (200, 302)


def test_it_links_the_roster_record(client, two_programs):
    resident = two_programs.resident
    resident.user = None
    resident.save(update_fields=["user"])
    invitation = invitation_create(
        program=two_programs.program,
        email="someone.new@example.org",
        role=Role.Kind.RESIDENT,
        resident=resident,
        by=two_programs.director,
    )
    client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": "N", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    resident.refresh_from_db()
    assert resident.user.email == "someone.new@example.org"


def test_it_rejects_weak_or_mismatched_passwords_and_saves_nothing(client, invitation):
    url = reverse("invitation_accept", args=[invitation.token])
    response = client.post(url, {"name": "X", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    response = client.post(url, {"name": "X", "password1": "a-long-pass-phrase", "password2": "b"})
    assert "differ" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_it_refuses_used_or_expired_invitations(client, invitation):
    invitation.expires_at = timezone.now() - datetime.timedelta(days=1)
    invitation.save(update_fields=["expires_at"])
    assert client.get(reverse("invitation_accept", args=[invitation.token])).status_code == 410


def test_it_has_no_open_sign_up(client, db):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower() or response.status_code != 200


def test_it_signs_in_by_email(client, two_programs):
    response = client.post(
        reverse("account_login"),
        {"login": two_programs.director.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302


def test_it_sends_directors_of_mfa_programs_to_set_up_two_factor(client, two_programs):
    program = two_programs.program
    program.require_mfa_for_directors = True
    program.save(update_fields=["require_mfa_for_directors"])
    client.force_login(two_programs.director)
    response = client.get(reverse("programs:overview", args=["alpha"]))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    client.force_login(two_programs.resident_user)
    assert client.get(reverse("scheduling:my_schedule", args=["alpha"])).status_code == 200
