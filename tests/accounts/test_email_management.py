"""The sign-in address is managed by the program: nobody can add, switch to or take an
address through allauth's e-mail page (it let a user attach another person's address, make
an unverified one their sign-in address, and gave a 500 on a taken one)."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User

URL = "/accounts/email/"


def test_the_page_is_gone(client, two_programs):
    client.force_login(two_programs.resident_user)

    response = client.get(URL)

    assert response.status_code == 404
    assert reverse("account_email") == URL  # allauth's own code still finds the name


@pytest.mark.parametrize(
    "data",
    [
        {"action_add": "", "email": "director-of-beta@example.org"},
        {"action_primary": "", "email": "director-of-beta@example.org"},
        {"action_send": "", "email": "director-of-beta@example.org"},
        {"action_remove": "", "email": "director-of-beta@example.org"},
    ],
)
def test_no_action_on_it_changes_an_address(client, two_programs, data):
    other = two_programs.other_director
    User.objects.filter(pk=other.pk).update(email="director-of-beta@example.org")
    EmailAddress.objects.create(
        user=other, email="director-of-beta@example.org", primary=True, verified=True
    )
    user = two_programs.resident_user
    client.force_login(user)

    response = client.post(URL, data)

    assert response.status_code == 404
    assert not EmailAddress.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.email != "director-of-beta@example.org"
    assert EmailAddress.objects.get(email="director-of-beta@example.org").user == other


def test_visitors_cannot_reach_it_either(client):
    assert client.get(URL).status_code == 404
