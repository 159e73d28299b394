"""Personal access tokens: made on the account page and shown once, stored hashed, expiring,
revocable, read-only or read-write, and rate-limited per token."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken
from api.services import access_token_create
from tests.api.conftest import YEAR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs/"


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def _make_on_the_page(client, user, **fields) -> str:
    client.force_login(user)
    data = {"name": "board sync", "scope": "read", "lifetime_days": 30, **fields}
    page = client.post(reverse("api_tokens"), data)
    assert page.status_code == 200
    token = AccessToken.objects.filter(user=user).latest("created_at")
    raw = next(
        word.strip('"')
        for word in page.content.decode().split()
        if word.startswith(('value="rsd_', "rsd_")) and token.prefix in word
    )
    return raw.removeprefix('value="')


def test_the_page_shows_a_new_token_once_and_stores_only_its_hash(client, two_programs):
    user = two_programs.director
    raw = _make_on_the_page(client, user)
    token = AccessToken.objects.get(user=user)
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    later = client.get(reverse("api_tokens"))
    assert token.prefix in later.content.decode()
    assert raw not in later.content.decode()
    assert client.get(PROGRAMS, headers=_bearer(raw)).status_code == 200


def test_the_page_needs_a_sign_in_and_refuses_a_bad_form(client, two_programs):
    assert client.get(reverse("api_tokens")).status_code == 302
    client.force_login(two_programs.director)
    page = client.post(reverse("api_tokens"), {"name": "", "scope": "root", "lifetime_days": 0})
    assert page.status_code == 200
    assert not AccessToken.objects.exists()


def test_the_page_is_csrf_protected(two_programs):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(two_programs.director)
    data = {"name": "x", "scope": "read", "lifetime_days": 5}
    assert client.post(reverse("api_tokens"), data).status_code == 403
    assert not AccessToken.objects.exists()


def test_the_page_lists_only_ones_own_tokens(client, two_programs):
    mine = access_token_create(user=two_programs.director, name="mine", scope="read").token
    theirs = access_token_create(user=two_programs.chief, name="theirs", scope="read").token
    client.force_login(two_programs.director)
    page = client.get(reverse("api_tokens")).content.decode()
    assert mine.prefix in page and theirs.prefix not in page


def test_a_revoked_token_is_a_401(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    assert client.get(PROGRAMS, headers=_bearer(made.secret)).status_code == 200
    client.force_login(two_programs.director)
    assert client.post(reverse("api_token_revoke", args=[made.token.prefix])).status_code == 302
    client.logout()
    response = client.get(PROGRAMS, headers=_bearer(made.secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "authentication_failed"


def test_one_cannot_revoke_someone_elses_token(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    client.force_login(two_programs.chief)
    assert client.post(reverse("api_token_revoke", args=[made.token.prefix])).status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_an_expired_token_is_a_401(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    AccessToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(PROGRAMS, headers=_bearer(made.secret)).status_code == 401


def test_a_deactivated_persons_token_is_a_401(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    two_programs.director.is_active = False
    two_programs.director.save(update_fields=["is_active"])
    assert client.get(PROGRAMS, headers=_bearer(made.secret)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer rsd_", "Bearer rsd_abc_def", "Bearer a b", "Bearer"],
)
def test_a_malformed_or_unknown_token_is_a_401(client, two_programs, header):
    assert client.get(PROGRAMS, headers={"Authorization": header}).status_code == 401


def test_a_token_with_a_right_prefix_and_a_wrong_secret_is_a_401(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    forged = made.secret[:-2] + ("aa" if not made.secret.endswith("aa") else "bb")
    assert client.get(PROGRAMS, headers=_bearer(forged)).status_code == 401


def test_a_read_only_token_may_read_but_not_start_a_build(client, api):
    made = access_token_create(user=api.cast.director, name="ro", scope="read")
    url = reverse("api:builds", args=["alpha", YEAR])
    response = client.post(
        url, {"time_limit_s": 5}, content_type="application/json", headers=_bearer(made.secret)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."
    assert client.get(PROGRAMS, headers=_bearer(made.secret)).status_code == 200


def test_a_token_acts_with_its_users_roles(client, api):
    body = client.get(reverse("api:program", args=["alpha"]), headers=api.auth("chief")).json()
    assert body["roles"] == ["chief_resident"]


def test_use_is_noted(client, two_programs):
    made = access_token_create(user=two_programs.director, name="x", scope="read")
    assert made.token.last_used_at is None
    client.get(PROGRAMS, headers=_bearer(made.secret))
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None


def test_calls_are_rate_limited_per_token(client, two_programs, settings):
    settings.API_RATE_LIMIT = "3/min"
    first = access_token_create(user=two_programs.director, name="a", scope="read").secret
    second = access_token_create(user=two_programs.director, name="b", scope="read").secret
    statuses = [client.get(PROGRAMS, headers=_bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get(PROGRAMS, headers=_bearer(first))
    assert throttled.json()["code"] == "throttled" and "Retry-After" in throttled
    assert client.get(PROGRAMS, headers=_bearer(second)).status_code == 200


def test_a_person_without_any_role_sees_no_program(client, db):
    made = access_token_create(user=UserFactory(), name="x", scope="read")
    body = client.get(PROGRAMS, headers=_bearer(made.secret)).json()
    assert body["count"] == 0 and body["results"] == []


def test_a_token_cannot_get_round_the_programs_mfa_rule(client, api):
    """A chief's token made before the program required MFA is refused until they set it
    up, as the pages would send them to set it up; a resident is not held up."""
    program = api.cast.program
    program.require_mfa_for_directors = True
    program.save(update_fields=["require_mfa_for_directors"])
    response = client.get(PROGRAMS, headers=api.auth("chief"))
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
    assert client.get(PROGRAMS, headers=api.auth("resident_user")).status_code == 200
