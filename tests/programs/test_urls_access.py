"""Every programs URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `programs/urls.py` fails `test_every_url_is_covered` until it is listed here,
with its row in `MATRIX`. The rule (programs.access): outsiders get a 404, a member whose
role is too small a 403; a resident sees only their own record (a classmate's is a 403,
like every record the role does not reach).
"""

import pytest
from django.urls import reverse

from programs import urls
from tests.factories import ResidentFactory
from tests.support.url_access import (
    is_sign_in_redirect,
    matrix_row,
    status_as,
    statuses_by_role,
)

pytestmark = pytest.mark.django_db

# name -> (method, who may use it in the `two_programs` cast, arguments builder)
CASES = {
    "overview": ("get", "director", lambda c: []),
    "roster": ("get", "faculty_user", lambda c: []),
    "resident_detail": ("get", "resident_user", lambda c: [c.resident.pk]),
    "bundle_upload": ("get", "director", lambda c: []),
    # An unknown upload token: the director is sent back to upload again (302).
    "bundle_confirm": ("get", "director", lambda c: ["no-such-upload"]),
    "bundle_download": ("get", "director", lambda c: []),
    "roster_upload": ("get", "director", lambda c: []),
    "people": ("get", "director", lambda c: []),
    "invite": ("get", "director", lambda c: []),
    "rollover": ("get", "director", lambda c: []),
}

# URLs whose arguments name one of alpha's rows (not a name any program could have).
KEYED = {"resident_detail"}

# What each role of alpha gets: (director, chief, faculty, resident). A resident's overview
# is their schedule (302); everything that runs the program is for managers only.
MATRIX = {
    "overview": (200, 200, 200, 302),
    "roster": (200, 200, 200, 403),
    "resident_detail": (200, 200, 200, 200),
    "bundle_upload": (200, 403, 403, 403),
    "bundle_confirm": (302, 403, 403, 403),
    "bundle_download": (200, 403, 403, 403),
    "roster_upload": (200, 403, 403, 403),
    "people": (200, 403, 403, 403),
    "invite": (200, 403, 403, 403),
    "rollover": (200, 403, 403, 403),
}

# Pages that are also forms: the POST, with harmlessly invalid data, per role. Nothing is
# imported, invited or rolled over; managers get the form back with errors (or, for an
# unknown upload token, a redirect to upload again).
POSTS = {
    "bundle without a file": ("bundle_upload", {}, (200, 403, 403, 403)),
    "bundle confirm, unknown upload": ("bundle_confirm", {}, (302, 403, 403, 403)),
    "roster without a file": ("roster_upload", {}, (200, 403, 403, 403)),
    "invite a bad address": ("invite", {"email": "not-an-address"}, (200, 403, 403, 403)),
    "rollover unconfirmed": ("rollover", {"weeks": 52}, (200, 403, 403, 403)),
}

# URLs about one resident: (director, chief, faculty, resident) asking for a classmate.
ABOUT_A_RESIDENT = {"resident_detail": (200, 200, 200, 403)}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)
    assert {name for name, _, _ in POSTS.values()} | KEYED | set(ABOUT_A_RESIDENT) <= set(CASES)


def _url(name, cast, slug="alpha"):
    return reverse(f"programs:{name}", args=[slug, *CASES[name][2](cast)])


def _call(client, name, cast, slug="alpha"):
    return getattr(client, CASES[name][0])(_url(name, cast, slug))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, two_programs, name):
    client.force_login(getattr(two_programs, CASES[name][1]))
    assert _call(client, name, two_programs).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, two_programs, name):
    client.force_login(two_programs.other_director)
    assert _call(client, name, two_programs).status_code == 404
    if name in KEYED:
        # Alpha's rows under the director's own program's address are not found either.
        assert _call(client, name, two_programs, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, two_programs, name):
    assert is_sign_in_redirect(_call(client, name, two_programs))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, two_programs, name):
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, CASES[name][0], url) == matrix_row(MATRIX[name])


@pytest.mark.parametrize("form", sorted(POSTS))
def test_each_role_posting_the_form_gets_what_the_rules_intend(client, two_programs, form):
    name, data, expected = POSTS[form]
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, "post", url, data) == matrix_row(expected)
    assert status_as(client, two_programs.other_director, "post", url, data) == 404
    client.logout()
    assert is_sign_in_redirect(client.post(url, data))


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_only_the_roster_side_sees_a_classmate(client, two_programs, name):
    classmate = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    url = reverse(f"programs:{name}", args=["alpha", classmate.pk])
    expected = matrix_row(ABOUT_A_RESIDENT[name])
    assert statuses_by_role(client, two_programs, "get", url) == expected


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_another_programs_resident_is_not_found_here(client, two_programs, name):
    url = reverse(f"programs:{name}", args=["alpha", two_programs.other_resident.pk])
    assert statuses_by_role(client, two_programs, "get", url) == matrix_row((404, 404, 404, 404))
