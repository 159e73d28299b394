"""Pairing pages through HTTP: propose, review, swap, lock, remove, assign, approve."""

import pytest
from django.urls import reverse

from mentoring.models import Mentorship, PairingProposal, ProposedPair
from mentoring.services.pairing import pairing_propose
from tests.factories import FacultyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(two_programs):
    return pairing_propose(program=two_programs.program, by=two_programs.director)


def url(name, *args, slug="alpha"):
    return reverse(f"mentoring:{name}", args=[slug, *args])


def test_a_director_proposes_and_lands_on_the_draft(client, two_programs):
    client.force_login(two_programs.director)
    response = client.post(url("proposal_create"), {"scope": "unpaired", "keep_existing": "on"})
    proposal = PairingProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("proposal_detail", proposal.pk)


def test_a_bad_scope_is_reported_not_a_500(client, two_programs):
    client.force_login(two_programs.director)
    response = client.post(url("proposal_create"), {"scope": "nonsense"}, follow=True)
    assert response.status_code == 200
    assert "Choose whom to pair" in response.content.decode()
    assert not PairingProposal.objects.exists()


def test_the_proposal_page_shows_pairs_scores_reasons_and_leftovers(client, two_programs, proposal):
    client.force_login(two_programs.director)
    response = client.get(url("proposal_detail", proposal.pk))
    html = response.content.decode()
    assert response.status_code == 200
    pair = proposal.pairs.get()
    assert two_programs.resident.name in html and two_programs.faculty.name in html
    assert f'id="pair-{pair.pk}"' in html
    assert pair.reasons[0] in html


def test_swapping_shows_the_new_score(client, two_programs, proposal):
    other = FacultyFactory(program=two_programs.program, interests=["research"])
    pair = proposal.pairs.get()
    client.force_login(two_programs.director)
    response = client.post(
        url("pair_swap", proposal.pk, pair.pk), {"mentor": other.pk}, follow=True
    )
    assert f"now with {other.name}: score 0" in response.content.decode()
    assert ProposedPair.objects.get(pk=pair.pk).mentor == other


def test_swapping_to_another_programs_mentor_is_refused(client, two_programs, proposal):
    foreign = FacultyFactory(program=two_programs.other_program)
    pair = proposal.pairs.get()
    client.force_login(two_programs.director)
    response = client.post(
        url("pair_swap", proposal.pk, pair.pk), {"mentor": foreign.pk}, follow=True
    )
    assert "Choose a mentor of this program" in response.content.decode()
    assert ProposedPair.objects.get(pk=pair.pk).mentor == two_programs.faculty


def test_lock_remove_and_assign_a_leftover(client, two_programs, proposal):
    pair = proposal.pairs.get()
    client.force_login(two_programs.director)
    client.post(url("pair_lock", proposal.pk, pair.pk), {"locked": "1"})
    assert ProposedPair.objects.get(pk=pair.pk).locked
    response = client.post(url("pair_remove", proposal.pk, pair.pk), follow=True)
    assert "locked: unlock it first" in response.content.decode()
    client.post(url("pair_lock", proposal.pk, pair.pk), {"locked": "0"})
    client.post(url("pair_remove", proposal.pk, pair.pk))
    assert not ProposedPair.objects.filter(pk=pair.pk).exists()
    resident = two_programs.resident
    client.post(
        url("leftover_assign", proposal.pk, resident.pk), {"mentor": two_programs.faculty.pk}
    )
    assert proposal.pairs.get().resident == resident


def test_assigning_someone_who_is_not_a_leftover_is_refused(client, two_programs, proposal):
    client.force_login(two_programs.director)
    response = client.post(
        url("leftover_assign", proposal.pk, two_programs.resident.pk),
        {"mentor": two_programs.faculty.pk},
        follow=True,
    )
    assert "not among this proposal" in response.content.decode()


def test_approval_starts_the_mentorships(client, two_programs, proposal):
    client.force_login(two_programs.director)
    response = client.post(url("proposal_approve", proposal.pk), follow=True)
    assert "1 new mentorship started" in response.content.decode()
    assert Mentorship.objects.get().mentor == two_programs.faculty


def test_a_refused_approval_shows_every_reason(client, two_programs, proposal):
    two_programs.faculty.mentor_capacity = 0
    two_programs.faculty.save(update_fields=["mentor_capacity"])
    client.force_login(two_programs.director)
    response = client.post(url("proposal_approve", proposal.pk), follow=True)
    html = response.content.decode()
    assert "Nothing was approved." in html and "would have 1 mentees for 0 places" in html
    assert not Mentorship.objects.exists()


def test_discard_and_re_propose(client, two_programs, proposal):
    client.force_login(two_programs.director)
    response = client.post(url("proposal_repropose", proposal.pk))
    new = PairingProposal.objects.exclude(pk=proposal.pk).get()
    assert response["Location"] == url("proposal_detail", new.pk)
    client.post(url("proposal_discard", new.pk))
    assert PairingProposal.objects.get(pk=new.pk).status == "discarded"


ENDPOINTS = [
    ("proposal_detail", "get"),
    ("proposal_approve", "post"),
    ("proposal_discard", "post"),
    ("proposal_repropose", "post"),
]


@pytest.mark.parametrize("name, method", ENDPOINTS)
def test_faculty_residents_and_chiefs_are_refused(client, two_programs, proposal, name, method):
    for user in (two_programs.faculty_user, two_programs.resident_user, two_programs.chief):
        client.force_login(user)
        assert getattr(client, method)(url(name, proposal.pk)).status_code == 403
    assert PairingProposal.objects.get(pk=proposal.pk).status == "draft"


@pytest.mark.parametrize("name, method", ENDPOINTS)
def test_another_programs_director_gets_a_404(client, two_programs, proposal, name, method):
    client.force_login(two_programs.other_director)
    assert getattr(client, method)(url(name, proposal.pk)).status_code == 404
    assert getattr(client, method)(url(name, proposal.pk, slug="beta")).status_code == 404


@pytest.mark.parametrize("name, method", ENDPOINTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, two_programs, proposal, name, method):
    assert getattr(client, method)(url(name, proposal.pk)).status_code == 302


def test_pair_endpoints_refuse_outsiders_and_non_managers(client, two_programs, proposal):
    pair = proposal.pairs.get()
    for name in ("pair_swap", "pair_lock", "pair_remove"):
        client.force_login(two_programs.faculty_user)
        assert client.post(url(name, proposal.pk, pair.pk)).status_code == 403
        client.force_login(two_programs.other_director)
        assert client.post(url(name, proposal.pk, pair.pk)).status_code == 404
    assert ProposedPair.objects.filter(pk=pair.pk, locked=False).exists()


def test_writes_are_post_only(client, two_programs, proposal):
    client.force_login(two_programs.director)
    assert client.get(url("proposal_approve", proposal.pk)).status_code == 405
    assert client.get(url("proposal_create")).status_code == 405
