"""Reminders to mentors of overdue mentorships and the directors' weekly digest, with a
frozen clock. The mentorship started on 5 Jan 2026 and last met on 2 Feb 2026, so its next
meeting is due on 4 May 2026 (every 91 days)."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import TestCase

from mentoring import tasks
from mentoring.models import Mentorship
from mentoring.services.meetings import meeting_log
from mentoring.services.reminders import mentorship_remind, program_digest_send
from programs.models import Program
from tests.mentoring.conftest import GOALS, ITEM, REFLECTION, SECRET
from tests.support.mail import record_queued_emails

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


DUE = datetime.date(2026, 5, 4)


def reminders_to(email):
    return [m for m in mail.outbox if m.to == [email] and "overdue" in m.subject.lower()]


def digests():
    return [m for m in mail.outbox if m.subject.startswith("Mentoring this week")]


def committed():
    """Run what waits for the commit (the e-mails) when the block ends, as a worker would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def run_beat(frozen_clock, when):
    frozen_clock.move_to(when)
    with committed():
        return tasks.mentoring_send_reminders.delay().get()


def test_nothing_is_sent_while_a_mentorship_is_due_soon(mentoring, frozen_clock):
    run_beat(frozen_clock, at(DUE - datetime.timedelta(days=3)))
    assert reminders_to(mentoring.cast.faculty.email) == []


def test_the_mentor_is_reminded_once_overdue(mentoring, frozen_clock):
    result = run_beat(frozen_clock, at(DUE + datetime.timedelta(days=1)))
    # The other mentorship never met: it has been overdue since 6 April.
    assert result == {"reminders": 2, "digests": 1}
    [reminder] = reminders_to(mentoring.cast.faculty.email)
    assert mentoring.cast.resident.name in reminder.subject
    assert "was due on 4 May 2026, 1 day ago" in reminder.body
    assert f"/p/alpha/mentoring/mentorships/{mentoring.mentorship.pk}/meetings/new/" in (
        reminder.body
    )
    for private in (SECRET, REFLECTION, GOALS, ITEM):
        assert private not in reminder.body
    mentoring.mentorship.refresh_from_db()
    assert mentoring.mentorship.last_reminder_sent_at == at(DUE + datetime.timedelta(days=1))


def test_it_is_not_re_sent_within_the_week(mentoring, frozen_clock):
    first = DUE + datetime.timedelta(days=1)
    for days in range(7):
        run_beat(frozen_clock, at(first + datetime.timedelta(days=days), hour=7))
    assert len(reminders_to(mentoring.cast.faculty.email)) == 1


def test_it_is_re_sent_after_a_week_even_a_few_seconds_early(mentoring, frozen_clock):
    first = at(DUE + datetime.timedelta(days=1)) + datetime.timedelta(seconds=5)
    run_beat(frozen_clock, first)
    run_beat(frozen_clock, first + datetime.timedelta(days=7, seconds=-3))
    assert len(reminders_to(mentoring.cast.faculty.email)) == 2


def test_it_stops_when_a_meeting_is_logged(mentoring, frozen_clock):
    overdue = DUE + datetime.timedelta(days=1)
    run_beat(frozen_clock, at(overdue))
    meeting_log(
        mentorship=mentoring.mentorship,
        by=mentoring.cast.faculty_user,
        occurred_on=overdue,
        duration_minutes=30,
        topics=["feedback"],
    )
    run_beat(frozen_clock, at(overdue + datetime.timedelta(days=8)))
    assert len(reminders_to(mentoring.cast.faculty.email)) == 1


def test_an_ended_mentorship_is_not_reminded(mentoring, frozen_clock):
    Mentorship.objects.filter(pk=mentoring.mentorship.pk).update(ended_on=DUE)
    run_beat(frozen_clock, at(DUE + datetime.timedelta(days=10)))
    assert reminders_to(mentoring.cast.faculty.email) == []


def test_two_workers_cannot_both_send_the_same_reminder(mentoring, frozen_clock):
    frozen_clock.move_to(at(DUE + datetime.timedelta(days=2)))
    with committed():
        assert mentorship_remind(mentorship_id=mentoring.mentorship.pk) is True
        assert mentorship_remind(mentorship_id=mentoring.mentorship.pk) is False
    assert len(reminders_to(mentoring.cast.faculty.email)) == 1


def test_reminders_and_digests_go_to_the_mail_task_once_claimed(
    mentoring, frozen_clock, monkeypatch
):
    """The claim commits, then the mail task sends with its own retries (a mail server that
    is down is tried again by that task, not by tomorrow's beat)."""
    queued = record_queued_emails(monkeypatch)
    frozen_clock.move_to(at(DUE + datetime.timedelta(days=2)))
    with committed():
        assert mentorship_remind(mentorship_id=mentoring.mentorship.pk) is True
        assert program_digest_send(program_id=mentoring.cast.program.pk) is True
    assert mail.outbox == []
    assert [m["to"] for m in queued] == [
        [mentoring.cast.faculty.email],
        [mentoring.cast.director.email],
    ]
    with committed():
        assert mentorship_remind(mentorship_id=mentoring.mentorship.pk) is False
    assert len(queued) == 2


def test_the_digest_goes_to_the_directors_once_a_week(mentoring, frozen_clock):
    start = DUE + datetime.timedelta(days=1)
    for days in range(8):
        run_beat(frozen_clock, at(start + datetime.timedelta(days=days)))
    sent = digests()
    assert len(sent) == 2
    assert sent[0].to == [mentoring.cast.director.email]
    assert "2 active mentorships: 0 on track, 0 due soon, 2 overdue." in sent[0].body
    assert mentoring.cast.resident.name in sent[0].body
    for private in (SECRET, REFLECTION, GOALS, ITEM):
        assert private not in sent[0].body
    program = Program.objects.get(pk=mentoring.cast.program.pk)
    assert program.mentoring_digest_sent_at == at(start + datetime.timedelta(days=7))


def test_no_digest_for_a_program_without_mentorships(two_programs):
    assert program_digest_send(program_id=two_programs.other_program.pk) is False
    assert digests() == []


def test_every_task_retries_database_errors_and_has_time_limits():
    for task in (
        tasks.mentoring_send_reminders,
        tasks.mentoring_remind_mentor,
        tasks.mentoring_send_digest,
        tasks.mentoring_notify_resident,
    ):
        assert task.autoretry_for == (OperationalError,)
        assert task.acks_late
        assert 0 < task.soft_time_limit < task.time_limit


def test_the_beat_schedule_names_the_reminder_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["mentoring-reminders"]
    assert entry["task"] == tasks.mentoring_send_reminders.name
