"""Every compliance URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `compliance/urls.py` fails `test_every_url_is_covered` until it is listed here,
with its row in `MATRIX`. The rules (programs.access, compliance.views): outsiders get a
404, a member whose role is too small a 403; the dashboard and the heatmap are for managers
and chief residents, and of the dashboard's actions "recompute" is theirs too but editing
the limits is for managers only; a resident's balance is for the roster side and for that
resident (a classmate's is a 403).
"""

import datetime

import pytest
from django.urls import reverse

from compliance import urls
from compliance.services import compliance_run_create
from tests.support.compliance_world import World, build_world
from tests.support.url_access import (
    is_sign_in_redirect,
    matrix_row,
    status_as,
    statuses_by_role,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2027, 9, 6)
YEAR = "2027-2028"


@pytest.fixture
def world(two_programs) -> World:
    """Alpha's published 2027-2028 (the cast's resident on it) with a stored compliance run."""
    world = build_world(program=two_programs.program, director=two_programs.director, residents=3)
    assert world.years[0].name == YEAR
    compliance_run_create(schedule=world.schedules[0], trigger="edit", as_of=AS_OF)
    return world


# name -> (method, who may use it in the `two_programs` cast, arguments builder)
CASES = {
    "dashboard": ("get", "chief", lambda c: []),
    "resident_balance": ("get", "resident_user", lambda c: [c.resident.pk]),
    "heatmap": ("get", "chief", lambda c: [YEAR]),
}

# URLs whose arguments name one of alpha's rows (not a name any program could have).
KEYED = {"resident_balance"}

# What each role of alpha gets: (director, chief, faculty, resident).
MATRIX = {
    "dashboard": (200, 200, 403, 403),
    "resident_balance": (200, 200, 200, 200),
    "heatmap": (200, 200, 403, 403),
}

# The dashboard's POST actions, per role: recompute (queued, back to the page), the limits
# form posted empty (errors shown, nothing saved), and an action it does not know.
POSTS = {
    "recompute": ("dashboard", {"action": "recompute"}, (302, 302, 403, 403)),
    "limits": ("dashboard", {"action": "limits"}, (200, 403, 403, 403)),
    "unknown action": ("dashboard", {"action": "nonsense"}, (400, 400, 403, 403)),
}

# URLs about one resident: (director, chief, faculty, resident) asking for a classmate.
ABOUT_A_RESIDENT = {"resident_balance": (200, 200, 200, 403)}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)
    assert {name for name, _, _ in POSTS.values()} | KEYED | set(ABOUT_A_RESIDENT) <= set(CASES)


def _url(name, cast, slug="alpha"):
    return reverse(f"compliance:{name}", args=[slug, *CASES[name][2](cast)])


def _call(client, name, cast, slug="alpha"):
    return getattr(client, CASES[name][0])(_url(name, cast, slug))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, two_programs, world, name):
    client.force_login(getattr(two_programs, CASES[name][1]))
    assert _call(client, name, two_programs).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, two_programs, world, name):
    client.force_login(two_programs.other_director)
    assert _call(client, name, two_programs).status_code == 404
    if name in KEYED:
        # Alpha's rows under the director's own program's address are not found either.
        assert _call(client, name, two_programs, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, two_programs, world, name):
    assert is_sign_in_redirect(_call(client, name, two_programs))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, two_programs, world, name):
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, CASES[name][0], url) == matrix_row(MATRIX[name])


@pytest.mark.parametrize("action", sorted(POSTS))
def test_each_role_posting_gets_what_the_rules_intend(client, two_programs, world, action):
    name, data, expected = POSTS[action]
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, "post", url, data) == matrix_row(expected)
    assert status_as(client, two_programs.other_director, "post", url, data) == 404
    client.logout()
    assert is_sign_in_redirect(client.post(url, data))


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_only_the_roster_side_sees_a_classmate(client, two_programs, world, name):
    classmate = next(r for r in world.residents if r.pk != two_programs.resident.pk)
    url = reverse(f"compliance:{name}", args=["alpha", classmate.pk])
    expected = matrix_row(ABOUT_A_RESIDENT[name])
    assert statuses_by_role(client, two_programs, "get", url) == expected


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_another_programs_resident_is_not_found_here(client, two_programs, world, name):
    url = reverse(f"compliance:{name}", args=["alpha", two_programs.other_resident.pk])
    assert statuses_by_role(client, two_programs, "get", url) == matrix_row((404, 404, 404, 404))
