"""Swaps: offered, accepted by the partner, approved by a chief: exactly the swapped cells
change, in a new published version, with a history event per cell."""

import pytest
from django.core.exceptions import ValidationError

from history.models import Event
from resident_requests.models import Swap
from resident_requests.services import swap_answer, swap_decide, swap_offer
from scheduling.models import ScheduleVersion
from scheduling.selectors import version_diff
from tests.resident_requests.conftest import account_for, find_swap
from tests.support.mail import record_queued_emails

pytestmark = pytest.mark.django_db


def _offer(world, partner, weeks):
    return swap_offer(
        schedule=world.built.schedule,
        offered_by=world.me,
        partner=partner,
        weeks=weeks,
        by=world.cast.resident_user,
    )


def test_an_approved_swap_publishes_exactly_the_swapped_cells(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    partner, index = find_swap(world, allowed=True)
    before = world.rows()
    swap = _offer(world, partner, [index])
    swap_answer(swap=swap, accept=True, by=account_for(partner))
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        swap = swap_decide(swap=swap, approve=True, by=world.cast.director)
    assert swap.status == Swap.Status.APPROVED
    world.built.schedule.refresh_from_db()
    new = world.built.schedule.published_version
    assert new == swap.result_version and new.number == world.published.number + 1
    world.published.refresh_from_db()
    assert world.published.status == ScheduleVersion.Status.SUPERSEDED
    diff = version_diff(old=world.published, new=new)
    assert diff == {
        world.me.external_id: [
            (index, before[world.me.external_id][index], before[partner.external_id][index])
        ],
        partner.external_id: [
            (index, before[partner.external_id][index], before[world.me.external_id][index])
        ],
    }
    cells = Event.objects.filter(kind=Event.Kind.SWAP, version=new)
    assert {(e.resident_id, e.week) for e in cells} == {(world.me.pk, index), (partner.pk, index)}
    assert {m["to"][0] for m in queued if m["subject"] == "Your swap was approved"} == {
        world.me.email,
        partner.email,
    }


def test_a_swap_with_a_resident_of_another_program_is_refused(world, stranger):
    with pytest.raises(ValidationError, match="is not a resident of Alpha IM"):
        _offer(world, stranger, [4])
    assert not Swap.objects.exists()


def test_a_swap_into_a_rotation_the_rules_forbid_is_refused(world):
    partner, index = find_swap(world, allowed=False)
    with pytest.raises(ValidationError) as refused:
        _offer(world, partner, [index])
    assert any("Not allowed by the rules" in m for m in refused.value.messages)
    assert not Swap.objects.exists()


def test_only_an_accepted_swap_can_be_approved_and_a_refused_one_is_closed(world):
    partner, index = find_swap(world, allowed=True)
    swap = _offer(world, partner, [index])
    with pytest.raises(ValidationError):
        swap_decide(swap=swap, approve=True, by=world.cast.chief)
    swap_answer(swap=swap, accept=False, by=account_for(partner))
    swap.refresh_from_db()
    assert swap.status == Swap.Status.REFUSED
    assert ScheduleVersion.objects.filter(schedule=world.built.schedule).count() == 1


def test_a_chief_who_may_not_publish_hands_the_swapped_version_to_the_directors(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    partner, index = find_swap(world, allowed=True)
    swap = _offer(world, partner, [index])
    swap_answer(swap=swap, accept=True, by=account_for(partner))
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        swap = swap_decide(swap=swap, approve=True, by=world.cast.chief)
    assert swap.status == Swap.Status.APPROVED
    draft = swap.result_version
    draft.refresh_from_db()
    assert draft.status == ScheduleVersion.Status.DRAFT
    assert draft.submitted_by == world.cast.chief
    world.built.schedule.refresh_from_db()
    assert world.built.schedule.published_version == world.published
    assert any("awaits your approval" in m["subject"] for m in queued)
