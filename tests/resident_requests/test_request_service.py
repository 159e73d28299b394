"""Submitting and deciding requests: limits refuse with reasons and save nothing; decisions
record history and e-mail the resident once the transaction commits."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from history.models import Event
from programs.models import ResidentRequest
from resident_requests.services import (
    policy_for,
    request_decide,
    request_submit,
    request_withdraw,
)
from tests.resident_requests.conftest import week
from tests.support.mail import record_queued_emails

pytestmark = pytest.mark.django_db


def _vacation(world, *weeks, by=None):
    return request_submit(
        resident=world.me, kind="vacation", weeks=list(weeks), by=by or world.cast.resident_user
    )


def test_a_vacation_request_is_pending_and_recorded_in_history(world):
    request = _vacation(world, week(4))
    assert request.status == ResidentRequest.Status.PENDING
    assert request.weeks == ["2027-07-26"]
    assert request.requested_by == world.cast.resident_user
    event = Event.objects.get(kind=Event.Kind.REQUEST_SUBMITTED)
    assert event.resident == world.me and event.after["kind"] == "vacation"


def _refused(world, call) -> list[str]:
    before = (ResidentRequest.objects.count(), Event.objects.count())
    with pytest.raises(ValidationError) as refused:
        call()
    assert (ResidentRequest.objects.count(), Event.objects.count()) == before
    return refused.value.messages


def test_weeks_outside_the_year_are_refused_and_nothing_is_saved(world):
    (reason,) = _refused(world, lambda: _vacation(world, week(10)))
    assert "outside the academic year 2027-2028" in reason


def test_a_blackout_week_is_refused(world):
    policy = policy_for(world.built.program)
    policy.blackout_weeks = [week(5).isoformat()]
    policy.save()
    (reason,) = _refused(world, lambda: _vacation(world, week(5)))
    assert "blackout week" in reason


def test_more_than_the_allotment_is_refused(world):
    policy = policy_for(world.built.program)
    policy.vacation_weeks_per_year = 3
    policy.save()
    _vacation(world, week(4))  # with the bundle's approved week of 5 July: 2 taken
    (reason,) = _refused(world, lambda: _vacation(world, week(6), week(7)))
    assert reason.startswith("Over the allotment: 3 vacation weeks a year; you already have 2")


def test_a_late_request_is_refused_but_a_director_may_record_it(world, clock):
    clock(datetime.date(2027, 7, 20))  # 6 days before week 4; notice is 14 days
    (reason,) = _refused(world, lambda: _vacation(world, week(4)))
    assert reason.startswith("Too late for the week of Mon 26 Jul 2027")
    recorded = request_submit(
        resident=world.me,
        kind="leave",
        leave_category="medical",
        weeks=[week(4)],
        by=world.cast.director,
        on_behalf=True,
    )
    assert recorded.on_behalf and recorded.requested_by == world.cast.director


def test_weeks_before_the_current_week_can_never_be_requested(world, clock):
    clock(datetime.date(2027, 7, 20))
    (reason,) = _refused(
        world,
        lambda: request_submit(
            resident=world.me,
            kind="leave",
            leave_category="medical",
            weeks=[week(2)],
            by=world.cast.director,
            on_behalf=True,
        ),
    )
    assert "is in the past" in reason


def test_leave_needs_a_category(world):
    _refused(
        world,
        lambda: request_submit(
            resident=world.me, kind="leave", weeks=[week(4)], by=world.cast.resident_user
        ),
    )


def test_approving_records_the_decision_and_emails_the_resident_on_commit(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    request = _vacation(world, week(4))
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_decide(request=request, approve=True, by=world.cast.chief, comment="Enjoy")
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    request.refresh_from_db()
    assert request.status == ResidentRequest.Status.APPROVED
    assert request.decided_by == world.cast.chief and request.decided_at is not None
    (mail,) = queued
    assert mail["to"] == [world.me.email]
    assert mail["subject"] == "Your request was approved"
    assert "Comment: Enjoy" in mail["body"]
    event = Event.objects.get(kind=Event.Kind.REQUEST_DECIDED)
    assert event.before["status"] == "pending" and event.after["status"] == "approved"
    assert event.reason == "Enjoy"


def test_declining_needs_a_comment_and_a_decided_request_stays_decided(world):
    request = _vacation(world, week(4))
    with pytest.raises(ValidationError):
        request_decide(request=request, approve=False, by=world.cast.chief)
    request_decide(request=request, approve=False, by=world.cast.chief, comment="Short-staffed")
    with pytest.raises(ValidationError, match="already declined"):
        request_decide(request=request, approve=True, by=world.cast.chief)


def test_a_pending_request_can_be_withdrawn_once(world):
    request = _vacation(world, week(4))
    request_withdraw(request=request, by=world.cast.resident_user)
    request.refresh_from_db()
    assert request.status == ResidentRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        request_withdraw(request=request, by=world.cast.resident_user)


def test_weeks_already_off_cannot_be_asked_for_again(world):
    _vacation(world, week(4))
    (reason,) = _refused(
        world,
        lambda: request_submit(
            resident=world.me,
            kind="leave",
            leave_category="personal",
            weeks=[week(4)],
            by=world.cast.resident_user,
        ),
    )
    assert reason == "You already have vacation (pending) in the week of Mon 26 Jul 2027."
