"""The demo's site admin can use the admin after `make run`: the seed gives them TOTP with
the demo's published key, and `demo_totp_code` prints the code an app would show."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from programs.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_users_create
from tests.factories import FacultyFactory, ProgramFactory, ResidentFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    program = ProgramFactory(slug="riverside-im")
    track = TrackFactory(program=program, code="CAT")
    ResidentFactory(program=program, track=track, pgy=1)
    FacultyFactory(program=program, mentor_capacity=2)
    demo_users_create(program=program)
    demo_users_create(program=program)  # `make run` seeds every time
    return User.objects.get(email=f"admin@{DEMO_DOMAIN}")


def _code() -> str:
    out = StringIO()
    call_command("demo_totp_code", stdout=out)
    return re.search(r"\b(\d{6})\b", out.getvalue()).group(1)


def test_the_demo_admin_has_one_totp_authenticator(demo_admin):
    assert demo_admin.is_superuser
    totps = Authenticator.objects.filter(user=demo_admin, type=Authenticator.Type.TOTP)
    assert totps.count() == 1


def test_the_demo_admin_signs_in_to_the_admin_with_the_printed_code(client, demo_admin):
    to_login = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]
    response = client.post(to_login, {"login": demo_admin.email, "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _code()})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_seed_says_how_to_sign_in_as_the_admin(demo_admin):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo_totp_code" in out.getvalue()
