"""Every mentoring URL, tried by an insider, an outsider and an anonymous visitor.

A new URL in `mentoring/urls.py` fails `test_every_url_is_covered` until it is listed here.
"""

import pytest
from django.urls import reverse

from mentoring import urls
from mentoring.services.pairing import pairing_propose
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

# name -> (method, who may use it in the `mentoring` cast, arguments builder)
CASES = {
    "index": ("get", "director", lambda m, p: []),
    "mentor_home": ("get", "faculty_user", lambda m, p: []),
    "resident_home": ("get", "resident_user", lambda m, p: []),
    "mentorship_detail": ("get", "resident_user", lambda m, p: [m.mentorship.pk]),
    "meeting_create": ("get", "faculty_user", lambda m, p: [m.mentorship.pk]),
    "meeting_detail": ("get", "director", lambda m, p: [m.meeting.pk]),
    "meeting_edit": ("get", "faculty_user", lambda m, p: [m.meeting.pk]),
    "meeting_delete": ("post", "faculty_user", lambda m, p: [m.meeting.pk]),
    "meeting_confirm": ("post", "resident_user", lambda m, p: [m.meeting.pk]),
    "meeting_reflect": ("post", "resident_user", lambda m, p: [m.meeting.pk]),
    "action_item_toggle": (
        "post",
        "resident_user",
        lambda m, p: [m.meeting.action_items.get().pk],
    ),
    "proposal_create": ("post", "director", lambda m, p: []),
    "proposal_detail": ("get", "director", lambda m, p: [p.pk]),
    "proposal_approve": ("post", "director", lambda m, p: [p.pk]),
    "proposal_discard": ("post", "director", lambda m, p: [p.pk]),
    "proposal_repropose": ("post", "director", lambda m, p: [p.pk]),
    "pair_swap": ("post", "director", lambda m, p: [p.pk, p.pairs.first().pk]),
    "pair_lock": ("post", "director", lambda m, p: [p.pk, p.pairs.first().pk]),
    "pair_remove": ("post", "director", lambda m, p: [p.pk, p.pairs.first().pk]),
    "leftover_assign": ("post", "director", lambda m, p: [p.pk, m.cast.resident.pk]),
    "mentor_profile": ("get", "faculty_user", lambda m, p: [m.cast.faculty.pk]),
    "resident_profile": ("get", "resident_user", lambda m, p: [m.cast.resident.pk]),
}


@pytest.fixture
def proposal(mentoring):
    extra = ResidentFactory(program=mentoring.cast.program, track=mentoring.cast.resident.track)
    proposal = pairing_propose(program=mentoring.cast.program, by=mentoring.cast.director)
    assert proposal.pairs.filter(resident=extra).exists()
    return proposal


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES)


def _call(client, name, mentoring, proposal, slug="alpha"):
    method, _who, args = CASES[name]
    url = reverse(f"mentoring:{name}", args=[slug, *args(mentoring, proposal)])
    return getattr(client, method)(url)


def _insider(mentoring, who):
    return getattr(mentoring.cast, who, None) or getattr(mentoring, who)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, mentoring, proposal, name):
    client.force_login(_insider(mentoring, CASES[name][1]))
    assert _call(client, name, mentoring, proposal).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, mentoring, proposal, name):
    client.force_login(mentoring.cast.other_director)
    assert _call(client, name, mentoring, proposal).status_code == 404
    if CASES[name][2](mentoring, proposal):
        # Alpha's objects under the director's own program's address are not found either.
        assert _call(client, name, mentoring, proposal, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, mentoring, proposal, name):
    response = _call(client, name, mentoring, proposal)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[0] == "post"))
def test_writes_refuse_get(client, mentoring, proposal, name):
    _method, who, args = CASES[name]
    client.force_login(_insider(mentoring, who))
    url = reverse(f"mentoring:{name}", args=["alpha", *args(mentoring, proposal)])
    assert client.get(url).status_code == 405
