"""Every project-level URL of `residency/urls.py` (those outside the apps), tried by an
anonymous visitor and each role, plus the rules of the two token-based ones.

A new URL there fails `test_every_url_is_covered` until it is listed here; an app included
there fails `test_every_app_has_its_url_access_tests` until it has its own
`tests/<app>/test_urls_access.py`. The rules: the start page, the calendar settings and the
API tokens page need a sign-in (a person revokes only their own tokens); the health check is
public; an invitation and a calendar feed are reached by
their secret token alone (the token is the credential: calendar clients cannot sign in), so
an unknown token is a 404, a used invitation a 410, and a revoked feed, or one whose owner
was deactivated, a 404.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_create
from api.models import AccessToken
from api.services import access_token_create
from programs.models import Role
from residency import urls
from scheduling.models import CalendarFeed
from scheduling.services.calendar import calendar_feed_rotate
from tests.factories import UserFactory
from tests.support.url_access import (
    is_sign_in_redirect,
    matrix_row,
    status_as,
    statuses_by_role,
)

pytestmark = pytest.mark.django_db

SIGN_IN = "sign in"


@dataclass
class Site:
    cast: object
    feed: CalendarFeed
    invitation: Invitation
    token: AccessToken


@pytest.fixture
def site(two_programs) -> Site:
    """The cast, the resident's live calendar feed, and an invitation for a newcomer."""
    feed = calendar_feed_rotate(user=two_programs.resident_user)
    invitation = invitation_create(
        program=two_programs.program,
        email="newcomer@example.org",
        role=Role.Kind.FACULTY,
        by=two_programs.director,
    )
    token = access_token_create(user=two_programs.resident_user, name="sync", scope="read").token
    return Site(two_programs, feed, invitation, token)


# name -> (method, who may use it in the `two_programs` cast (None: anyone), arguments builder)
CASES = {
    "home": ("get", "director", lambda s: []),
    "healthz": ("get", None, lambda s: []),
    "favicon": ("get", None, lambda s: []),
    "invitation_accept": ("get", None, lambda s: [s.invitation.token]),
    "calendar_settings": ("get", "resident_user", lambda s: []),
    "calendar_rotate": ("post", "resident_user", lambda s: []),
    "calendar_feed": ("get", None, lambda s: [s.feed.token]),
    "api_tokens": ("get", "resident_user", lambda s: []),
    "api_token_revoke": ("post", "resident_user", lambda s: [s.token.prefix]),
    "program_new": ("get", "director", lambda s: []),
}

# What an anonymous visitor gets.
ANONYMOUS = {
    "home": SIGN_IN,
    "healthz": 200,
    "favicon": 301,
    "invitation_accept": 200,
    "calendar_settings": SIGN_IN,
    "calendar_rotate": SIGN_IN,
    "calendar_feed": 200,
    "api_tokens": SIGN_IN,
    "api_token_revoke": SIGN_IN,
    "program_new": SIGN_IN,
}

# What each role of alpha gets: (director, chief, faculty, resident). Each holds one
# program, so the start page sends them straight to it.
MATRIX = {
    "home": (302, 302, 302, 302),
    "healthz": (200, 200, 200, 200),
    "favicon": (301, 301, 301, 301),
    "invitation_accept": (200, 200, 200, 200),
    "calendar_settings": (200, 200, 200, 200),
    "calendar_rotate": (302, 302, 302, 302),
    "calendar_feed": (200, 200, 200, 200),
    "api_tokens": (200, 200, 200, 200),
    # One's own tokens only: someone else's token is not found.
    "api_token_revoke": (404, 404, 404, 302),
    # Site operators and directors start new programs; nobody else.
    "program_new": (200, 403, 403, 403),
}

# Pages that are closed for everyone (404 for every visitor and method), proven in their own
# tests: allauth's e-mail management, since the program manages each person's address
# (tests/accounts/test_email_management.py).
CLOSED = {"account_email"}

# Included URL sets tested elsewhere, or not ours to test URL by URL.
APPS_WITH_URL_TESTS = {
    "programs",
    "scheduling",
    "compliance",
    "mentoring",
    "homes",
    "resident_requests",
    "api",
}
THIRD_PARTY = {"admin/", "accounts/"}  # Django's admin (staff only) and allauth's sign-in


def test_every_url_is_covered():
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - CLOSED == set(CASES) == set(ANONYMOUS) == set(MATRIX)
    assert names >= CLOSED


def test_every_app_has_its_url_access_tests():
    included = [p for p in urls.urlpatterns if isinstance(p, URLResolver)]
    apps = {p.app_name for p in included if str(p.pattern) not in THIRD_PARTY}
    assert apps == APPS_WITH_URL_TESTS
    here = Path(__file__).resolve().parent
    for app in apps:
        assert (here / app / "test_urls_access.py").exists(), app


def _url(name, site):
    return reverse(name, args=CASES[name][2](site))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, site, name):
    method, who, _args = CASES[name]
    if who is not None:
        client.force_login(getattr(site.cast, who))
    assert getattr(client, method)(_url(name, site)).status_code in (200, 301, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_gets_what_the_rules_intend(client, site, name):
    response = getattr(client, CASES[name][0])(_url(name, site))
    if ANONYMOUS[name] == SIGN_IN:
        assert is_sign_in_redirect(response)
    else:
        assert response.status_code == ANONYMOUS[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, site, name):
    url = _url(name, site)
    assert statuses_by_role(client, site.cast, CASES[name][0], url) == matrix_row(MATRIX[name])


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[0] == "post"))
def test_writes_refuse_get(client, site, name):
    client.force_login(getattr(site.cast, CASES[name][1]))
    assert client.get(_url(name, site)).status_code == 405


# The start page


def test_the_start_page_lists_no_program_to_someone_without_a_role(client, site):
    client.force_login(UserFactory())
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert site.cast.program.name not in page.content.decode()
    assert site.cast.other_program.name not in page.content.decode()


# The calendar feed: the token is the credential


def test_a_wrong_feed_token_is_a_404(client, site):
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[site.feed.token[:-1]])).status_code == 404


def test_a_revoked_feed_token_is_a_404(client, site):
    calendar_feed_rotate(user=site.cast.resident_user, create=False)
    assert client.get(reverse("calendar_feed", args=[site.feed.token])).status_code == 404


def test_a_rotated_feed_token_is_a_404_and_the_new_one_works(client, site):
    new = calendar_feed_rotate(user=site.cast.resident_user)
    assert client.get(reverse("calendar_feed", args=[site.feed.token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new.token])).status_code == 200


def test_a_deactivated_persons_feed_is_a_404(client, site):
    user = site.cast.resident_user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[site.feed.token])).status_code == 404


def test_the_calendar_settings_show_only_ones_own_feed(client, site):
    client.force_login(site.cast.director)
    page = client.get(reverse("calendar_settings")).content.decode()
    assert site.feed.token not in page


def test_rotating_ones_feed_leaves_everyone_elses_alone(client, site):
    assert status_as(client, site.cast.director, "post", reverse("calendar_rotate")) == 302
    client.post(reverse("calendar_rotate"), {"action": "revoke"})
    site.feed.refresh_from_db()
    assert site.feed.revoked_at is None
    assert client.get(reverse("calendar_feed", args=[site.feed.token])).status_code == 200


# Invitations: the token lets a newcomer in; an existing account must be signed in


def test_a_wrong_invitation_token_is_a_404(client, site):
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


def test_a_used_or_expired_invitation_is_gone(client, site):
    url = reverse("invitation_accept", args=[site.invitation.token])
    Invitation.objects.filter(pk=site.invitation.pk).update(accepted_at=timezone.now())
    assert client.get(url).status_code == 410
    Invitation.objects.filter(pk=site.invitation.pk).update(
        accepted_at=None, expires_at=timezone.now()
    )
    assert client.get(url).status_code == 410


def test_only_the_invited_account_accepts_an_invitation_for_it(client, site):
    """An invitation for someone who already has an account is accepted only by them,
    signed in: not by an anonymous visitor, nor by someone else holding the link."""
    invited = site.cast.other_director
    invitation = invitation_create(
        program=site.cast.program, email=invited.email, role=Role.Kind.FACULTY, by=None
    )
    url = reverse("invitation_accept", args=[invitation.token])
    assert client.post(url).status_code == 200
    client.force_login(site.cast.resident_user)
    assert client.post(url).status_code == 200
    assert not Role.objects.filter(user=invited, program=site.cast.program).exists()
    client.force_login(invited)
    assert client.post(url).status_code == 302
    assert Role.objects.filter(user=invited, program=site.cast.program).exists()
