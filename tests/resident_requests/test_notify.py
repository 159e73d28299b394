"""New requests and accepted swaps are e-mailed to the program's chiefs and directors: one
e-mail per request, on commit, never to the people the request is about."""

import pytest

from programs.models import Role
from resident_requests.services import request_submit, swap_answer, swap_offer
from tests.factories import RoleFactory
from tests.resident_requests.conftest import account_for, find_swap, week
from tests.support.mail import record_queued_emails

pytestmark = pytest.mark.django_db

ASKS = "asks for"


def _to_deciders(queued, words):
    return [message for message in queued if words in message["subject"]]


def test_a_new_request_is_one_email_to_the_chiefs_and_directors(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        request_submit(
            resident=world.me, kind="vacation", weeks=[week(6)], by=world.cast.resident_user
        )
    [message] = _to_deciders(queued, ASKS)
    assert sorted(message["to"]) == sorted([world.cast.director.email, world.cast.chief.email])
    assert world.me.name in message["body"] and "/requests/queue/" in message["body"]


def test_nothing_is_sent_before_the_transaction_commits(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_submit(
            resident=world.me, kind="vacation", weeks=[week(6)], by=world.cast.resident_user
        )
    assert queued == [] and callbacks


def test_the_requester_and_the_resident_are_not_told_of_their_own_request(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # The resident is also a chief; the director records the request on their behalf.
    RoleFactory(
        user=world.cast.resident_user, program=world.me.program, kind=Role.Kind.CHIEF_RESIDENT
    )
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        request_submit(
            resident=world.me,
            kind="leave",
            leave_category="medical",
            weeks=[week(6)],
            by=world.cast.director,
            on_behalf=True,
        )
    [message] = _to_deciders(queued, ASKS)
    assert message["to"] == [world.cast.chief.email]
    assert "medical" not in message["body"].lower()  # the category is for directors only


def test_an_accepted_swap_is_one_email_to_the_deciders_and_an_offer_is_none(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    partner, index = find_swap(world, allowed=True)
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        swap = swap_offer(
            schedule=world.built.schedule,
            offered_by=world.me,
            partner=partner,
            weeks=[index],
            by=world.cast.resident_user,
        )
    assert _to_deciders(queued, "awaits your decision") == []
    with django_capture_on_commit_callbacks(execute=True):
        swap_answer(swap=swap, accept=True, by=account_for(partner))
    [message] = _to_deciders(queued, "awaits your decision")
    assert sorted(message["to"]) == sorted([world.cast.director.email, world.cast.chief.email])
    assert f"week(s) {index + 1}" in message["body"]
