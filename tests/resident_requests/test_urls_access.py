"""Every request URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `resident_requests/urls.py` fails `test_every_url_is_covered` until it is
listed here with its row in `MATRIX`. The rules (programs.access, resident_requests.access):
outsiders get a 404; a resident's pages are for residents (someone with no resident record
gets the "no resident record" 404, as on "my schedule"); a resident acts only on their own
requests and on swaps offered by or to them (else 403); the queue and decisions are for
chief residents and managers; recording on a resident's behalf and the limits are for
managers. Faculty see no one's requests.

The schedule is stored directly (no solver run), so the whole module stays fast.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from programs.models import ResidentRequest
from resident_requests import urls
from resident_requests.models import Swap
from tests.support.compliance_world import build_world
from tests.support.url_access import is_sign_in_redirect, matrix_row, statuses_by_role

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    cast: object
    pending: ResidentRequest
    approved: ResidentRequest
    offered_to_me: Swap
    offered_by_me: Swap
    accepted: Swap


@pytest.fixture
def setting(two_programs) -> Setting:
    world = build_world(program=two_programs.program, director=two_programs.director, residents=3)
    schedule = world.schedules[0]
    me = two_programs.resident
    classmate = next(r for r in world.residents if r.pk != me.pk)
    start = world.years[0].start.isoformat()

    def request(status):
        return ResidentRequest.objects.create(
            resident=me, kind="vacation", status=status, weeks=[start]
        )

    def swap(offered_by, partner, status):
        return Swap.objects.create(
            program=two_programs.program,
            schedule=schedule,
            offered_by=offered_by,
            partner=partner,
            weeks=[3],
            status=status,
        )

    return Setting(
        two_programs,
        pending=request("pending"),
        approved=request("approved"),
        offered_to_me=swap(classmate, me, "offered"),
        offered_by_me=swap(me, classmate, "offered"),
        accepted=swap(me, classmate, "accepted"),
    )


# name -> (method, who may use it in the `two_programs` cast, arguments builder)
CASES = {
    "mine": ("get", "resident_user", lambda s: []),
    "new": ("get", "resident_user", lambda s: []),
    "record": ("get", "director", lambda s: []),
    "withdraw": ("post", "resident_user", lambda s: [s.pending.pk]),
    "swap_new": ("get", "resident_user", lambda s: []),
    "swap_answer": ("post", "resident_user", lambda s: [s.offered_to_me.pk]),
    "swap_withdraw": ("post", "resident_user", lambda s: [s.offered_by_me.pk]),
    "queue": ("get", "chief", lambda s: []),
    "decide": ("post", "chief", lambda s: [s.pending.pk]),
    "replan": ("post", "director", lambda s: [s.approved.pk]),
    "swap_decide": ("post", "chief", lambda s: [s.accepted.pk]),
    "limits": ("get", "director", lambda s: []),
}

# What the POSTs send: a decline with a comment (no schedule change), a refusal.
DATA = {
    "decide": {"decision": "decline", "comment": "No"},
    "swap_decide": {"decision": "decline", "comment": "No"},
    "swap_answer": {"answer": "refuse"},
}

# URLs whose arguments name one of alpha's rows: under beta's address they are not found.
KEYED = {"withdraw", "swap_answer", "swap_withdraw", "decide", "replan", "swap_decide"}

RESIDENT_PAGE = (404, 404, 404, 200)  # no resident record: the "no record" page
OWN = (403, 403, 403, 302)  # only the resident it belongs to
DECIDERS = (302, 302, 403, 403)  # managers and chief residents

# What each role of alpha gets: (director, chief, faculty, resident).
MATRIX = {
    "mine": RESIDENT_PAGE,
    "new": RESIDENT_PAGE,
    "record": (200, 403, 403, 403),
    "withdraw": OWN,
    "swap_new": RESIDENT_PAGE,
    "swap_answer": OWN,
    "swap_withdraw": OWN,
    "queue": (200, 200, 403, 403),
    "decide": DECIDERS,
    "replan": DECIDERS,
    "swap_decide": DECIDERS,
    "limits": (200, 403, 403, 403),
}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)
    assert set(DATA) | KEYED <= set(CASES)


def _url(name, setting, slug="alpha"):
    return reverse(f"resident_requests:{name}", args=[slug, *CASES[name][2](setting)])


def _call(client, name, setting, slug="alpha"):
    return getattr(client, CASES[name][0])(_url(name, setting, slug), DATA.get(name, {}))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, setting, name):
    client.force_login(getattr(setting.cast, CASES[name][1]))
    assert _call(client, name, setting).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, setting, name):
    client.force_login(setting.cast.other_director)
    assert _call(client, name, setting).status_code == 404
    if name in KEYED:
        assert _call(client, name, setting, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, setting, name):
    assert is_sign_in_redirect(_call(client, name, setting))


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[0] == "post"))
def test_writes_refuse_get(client, setting, name):
    client.force_login(getattr(setting.cast, CASES[name][1]))
    assert client.get(_url(name, setting)).status_code == 405


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, setting, name):
    method, url = CASES[name][0], _url(name, setting)
    got = statuses_by_role(client, setting.cast, method, url, DATA.get(name))
    assert got == matrix_row(MATRIX[name])


def test_another_programs_resident_cannot_act_on_alpha_requests(client, setting):
    client.force_login(setting.cast.other_resident_user)
    for name in ("withdraw", "swap_answer", "swap_withdraw"):
        assert _call(client, name, setting).status_code == 404
