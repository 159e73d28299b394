"""The Django admin is for site operators: active superusers who signed in with two-factor
authentication. Program staff work in the app; in the admin they are refused, whatever
their permissions and roles (issue 9: a director with model permissions edited program B)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import OPERATOR_TOTP_SECRET
from tests.factories import UserFactory
from tests.support.mfa import PASSWORD, give_totp, sign_in_with_mfa, totp_code

pytestmark = pytest.mark.django_db

STAFF_SECRET = "STAFFTOTPSECRETFORTHETESTS234567"


@pytest.fixture
def staff_director(two_programs):
    """A director of alpha with is_staff and every model permission there is."""
    director = two_programs.director
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    director.user_permissions.set(Permission.objects.all())
    return director


def _admin_urls(cast):
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["mentoring"]),
        reverse("admin:programs_program_changelist"),
        reverse("admin:programs_program_change", args=[cast.program.pk]),
        reverse("admin:accounts_user_change", args=[cast.director.pk]),
        reverse("admin:programs_requirement_add"),
    ]


def test_an_anonymous_visitor_is_sent_to_the_apps_sign_in_page(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    final, _status = response.redirect_chain[-1]
    assert urlsplit(final).path == reverse("account_login")
    assert parse_qs(urlsplit(final).query)["next"] == [reverse("admin:index")]


def test_the_admin_has_no_password_form_of_its_own(client, db):
    """Its own form would sign an operator in without the TOTP step."""
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    posted = client.post(reverse("admin:login"), {"username": "x@example.org", "password": "x"})
    assert posted.status_code == 302 and not posted.wsgi_request.user.is_authenticated


def test_staff_with_every_permission_and_a_role_are_refused(client, two_programs, staff_director):
    client.force_login(staff_director)
    for url in [*_admin_urls(two_programs), reverse("admin:login")]:
        assert client.get(url).status_code == 403, url
    grab = reverse("admin:accounts_user_change", args=[staff_director.pk])
    response = client.post(grab, {"email": staff_director.email, "is_superuser": "on"})
    assert response.status_code == 403
    staff_director.refresh_from_db()
    assert not staff_director.is_superuser


def test_staff_signed_in_with_mfa_are_refused_too(client, two_programs, staff_director):
    give_totp(staff_director, STAFF_SECRET)
    sign_in_with_mfa(client, staff_director, STAFF_SECRET)
    for url in _admin_urls(two_programs):
        assert client.get(url).status_code == 403, url


def test_program_members_are_refused(client, two_programs):
    for member in (two_programs.resident_user, two_programs.director, two_programs.chief):
        client.force_login(member)
        assert client.get(reverse("admin:index")).status_code == 403


def test_a_superuser_without_two_factor_is_sent_to_set_it_up(client, two_programs):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    for url in _admin_urls(two_programs):
        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path == reverse("mfa_activate_totp"), url
    [message] = list(get_messages(response.wsgi_request))[-1:]
    assert "two-factor" in str(message)


def test_a_superuser_who_did_not_enter_a_code_this_session_is_asked_for_one(client, operator):
    """TOTP set up is not enough: the session must have passed the two-factor step."""
    client.force_login(operator)
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("mfa_reauthenticate")
    assert parse_qs(location.query)["next"] == [reverse("admin:programs_program_changelist")]
    entered = client.post(response["Location"], {"code": totp_code(OPERATOR_TOTP_SECRET)})
    assert entered["Location"] == reverse("admin:programs_program_changelist")
    assert client.get(entered["Location"]).status_code == 200


def test_an_operator_signed_in_with_two_factor_gets_in(operator_client, two_programs):
    for url in _admin_urls(two_programs):
        assert operator_client.get(url).status_code == 200, url


def test_the_whole_way_in_from_the_admins_address(client, operator):
    to_login = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]
    response = client.post(to_login, {"login": operator.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(OPERATOR_TOTP_SECRET)})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_new_operator_sets_up_two_factor_on_the_way_in(client, db):
    """`createsuperuser`, then /admin/: set up an authenticator app, enter a code, get in."""
    root = UserFactory(is_staff=True, is_superuser=True)
    sign_in = client.post(reverse("account_login"), {"login": root.email, "password": PASSWORD})
    assert sign_in.status_code == 302
    to_setup = client.get(reverse("admin:index"))
    assert to_setup["Location"] == reverse("mfa_activate_totp")
    confirm = client.get(to_setup["Location"])  # allauth asks for the password again first
    confirmed = client.post(confirm["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("mfa_activate_totp")
    assert client.get(confirmed["Location"]).status_code == 200
    secret = client.session["mfa.totp.secret"]
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    with time_machine.travel(time.time() + 30, tick=False):  # the next code
        to_code = client.get(reverse("admin:index"))
        assert urlsplit(to_code["Location"]).path == reverse("mfa_reauthenticate")
        entered = client.post(to_code["Location"], {"code": totp_code(secret)})
        assert entered["Location"] == reverse("admin:index")
        assert client.get(reverse("admin:index")).status_code == 200
