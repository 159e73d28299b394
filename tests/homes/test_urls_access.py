"""Every homes URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `homes/urls.py` fails `test_every_url_is_covered` until it is listed here. The
home page is for everyone in the program (each sees only their own sections), a 404 for
outsiders.
"""

import pytest
from django.urls import reverse

from homes import urls
from tests.support.url_access import is_sign_in_redirect, matrix_row, statuses_by_role

pytestmark = pytest.mark.django_db

CASES = {"home": ("get", "director", lambda c: [])}

# (director, chief, faculty, resident)
MATRIX = {"home": (200, 200, 200, 200)}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)


def _url(name, cast, slug="alpha"):
    return reverse(f"homes:{name}", args=[slug, *CASES[name][2](cast)])


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, two_programs, name):
    client.force_login(two_programs.other_director)
    assert client.get(_url(name, two_programs)).status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, two_programs, name):
    assert is_sign_in_redirect(client.get(_url(name, two_programs)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, two_programs, name):
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, CASES[name][0], url) == matrix_row(MATRIX[name])
