"""Logging meetings and the resident's side: validation saves nothing when it refuses."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mentoring.models import ActionItem, Meeting
from mentoring.services.meetings import (
    ActionItemInput,
    action_item_set_done,
    meeting_confirm,
    meeting_log,
    meeting_reflect,
)
from tests.mentoring.conftest import SECRET

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


def log(mentorship, **overrides):
    values = {
        "mentorship": mentorship,
        "by": None,
        "occurred_on": TODAY,
        "duration_minutes": 45,
        "format": Meeting.Format.VIRTUAL,
        "kind": Meeting.Kind.CAREER_CONFERENCE,
        "topics": ["career planning", "ECG course"],
        "goals_discussed": "Apply to cardiology",
        "private_notes": SECRET,
        "action_items": [ActionItemInput("Ask for letters", "resident", TODAY)],
    }
    values.update(overrides)
    return meeting_log(**values)


def assert_refused(mentorship, field, **overrides):
    before = (Meeting.objects.count(), ActionItem.objects.count())
    with pytest.raises(ValidationError) as refused:
        log(mentorship, **overrides)
    assert field in refused.value.message_dict
    assert (Meeting.objects.count(), ActionItem.objects.count()) == before
    return refused.value.message_dict[field]


def test_it_logs_a_meeting_with_its_action_items(mentoring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = log(mentoring.mentorship, by=mentoring.cast.faculty_user)
    meeting.refresh_from_db()
    assert meeting.topics == ["career planning", "ECG course"]
    assert meeting.private_notes == SECRET
    assert meeting.logged_by == mentoring.cast.faculty_user
    assert [i.description for i in meeting.action_items.all()] == ["Ask for letters"]


def test_the_resident_is_told_without_the_private_notes(
    mentoring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log(mentoring.mentorship)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [mentoring.cast.resident.email]
    assert SECRET not in message.body and "Apply to cardiology" not in message.body
    assert "/mentoring/meetings/" in message.body


def test_a_meeting_in_the_future_is_refused(mentoring):
    errors = assert_refused(
        mentoring.mentorship, "occurred_on", occurred_on=TODAY + datetime.timedelta(days=1)
    )
    assert "future" in errors[0]


def test_a_meeting_before_the_mentorship_started_is_refused(mentoring):
    assert_refused(mentoring.mentorship, "occurred_on", occurred_on=datetime.date(2025, 12, 31))


@pytest.mark.parametrize("minutes", [0, 601, None])
def test_a_duration_outside_one_to_six_hundred_minutes_is_refused(mentoring, minutes):
    errors = assert_refused(mentoring.mentorship, "duration_minutes", duration_minutes=minutes)
    assert errors == ["A meeting lasts 1 to 600 minutes."]


def test_six_hundred_minutes_is_accepted(mentoring):
    assert log(mentoring.mentorship, duration_minutes=600).pk


def test_a_meeting_on_an_ended_mentorship_is_refused(mentoring):
    mentorship = mentoring.mentorship
    mentorship.ended_on = datetime.date(2026, 2, 20)
    mentorship.save(update_fields=["ended_on"])
    errors = assert_refused(mentorship, "__all__", occurred_on=datetime.date(2026, 2, 10))
    assert "ended on 20 Feb 2026" in errors[0]


def test_an_action_item_without_a_description_is_refused(mentoring):
    errors = assert_refused(
        mentoring.mentorship,
        "action_items",
        action_items=[ActionItemInput("Fine"), ActionItemInput("  ", "mentor", TODAY)],
    )
    assert errors == ["Action item 2: describe what is to be done."]


def test_an_action_item_due_before_the_meeting_is_refused(mentoring):
    assert_refused(
        mentoring.mentorship,
        "action_items",
        action_items=[ActionItemInput("Late", "mentor", TODAY - datetime.timedelta(days=1))],
    )


def test_confirming_twice_keeps_the_first_time(mentoring, frozen_clock):
    meeting = mentoring.meeting
    meeting_confirm(meeting=meeting, by=None)
    first = Meeting.objects.get(pk=meeting.pk).resident_confirmed_at
    frozen_clock.shift(datetime.timedelta(hours=2))
    meeting_confirm(meeting=meeting, by=None)
    assert Meeting.objects.get(pk=meeting.pk).resident_confirmed_at == first


def test_a_reflection_is_stored_and_confirms_attendance(mentoring):
    meeting_reflect(meeting=mentoring.meeting, by=None, reflection="  Useful.  ")
    meeting = Meeting.objects.get(pk=mentoring.meeting.pk)
    assert meeting.resident_reflection == "Useful."
    assert meeting.resident_confirmed_at is not None
    assert meeting.private_notes == SECRET


def test_a_reflection_that_is_too_long_is_refused(mentoring):
    with pytest.raises(ValidationError):
        meeting_reflect(meeting=mentoring.meeting, by=None, reflection="x" * 5001)


def test_an_action_item_is_ticked_off_and_reopened(mentoring):
    item = mentoring.meeting.action_items.get()
    action_item_set_done(item=item, by=None, done=True)
    assert ActionItem.objects.get(pk=item.pk).done_at is not None
    action_item_set_done(item=item, by=None, done=False)
    assert ActionItem.objects.get(pk=item.pk).done_at is None
