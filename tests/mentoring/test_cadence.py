"""The cadence rule: on track, due soon within 14 days of the due date, overdue after it."""

import datetime

import pytest
import time_machine

from mentoring.cadence import Status, mentorship_status
from programs.clock import program_today
from tests.factories import ProgramFactory

START = datetime.date(2026, 1, 1)


def status(today, last_meeting=None, last_conference=None, start=START):
    return mentorship_status(
        started_on=start,
        last_meeting_on=last_meeting,
        last_conference_on=last_conference,
        today=today,
        meeting_interval_days=91,
        conference_interval_days=365,
    )


def test_a_new_mentorship_is_on_track_and_due_an_interval_after_it_started():
    cadence = status(datetime.date(2026, 2, 1))
    assert cadence.status is Status.ON_TRACK
    assert cadence.next_meeting_due == datetime.date(2026, 4, 2)
    assert cadence.what_is_due == "a meeting"


def test_it_is_due_soon_from_fourteen_days_before_the_due_date():
    # Due on 2 April: due soon from 19 March (14 days before), on track the day before.
    assert status(datetime.date(2026, 3, 18)).status is Status.ON_TRACK
    assert status(datetime.date(2026, 3, 19)).status is Status.DUE_SOON


def test_it_is_overdue_the_day_after_the_due_date():
    assert status(datetime.date(2026, 4, 2)).status is Status.DUE_SOON
    cadence = status(datetime.date(2026, 4, 3))
    assert cadence.status is Status.OVERDUE
    assert cadence.days_overdue == 1


def test_the_last_meeting_restarts_the_clock():
    cadence = status(datetime.date(2026, 5, 1), last_meeting=datetime.date(2026, 3, 1))
    assert cadence.status is Status.ON_TRACK
    assert cadence.next_meeting_due == datetime.date(2026, 5, 31)


def test_a_missing_career_conference_makes_it_overdue_even_with_regular_meetings():
    cadence = status(datetime.date(2027, 1, 10), last_meeting=datetime.date(2026, 12, 1))
    assert cadence.status is Status.OVERDUE
    assert cadence.what_is_due == "a career conference"
    assert cadence.due_on == datetime.date(2027, 1, 1)


def test_a_career_conference_resets_both_clocks():
    day = datetime.date(2026, 12, 1)
    cadence = status(datetime.date(2027, 1, 10), last_meeting=day, last_conference=day)
    assert cadence.status is Status.ON_TRACK


@pytest.mark.django_db
def test_today_is_the_programs_date_not_the_servers():
    program = ProgramFactory(timezone="Pacific/Auckland")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)):
        assert program_today(program) == datetime.date(2026, 3, 2)
    program.timezone = "Not/AZone"
    with time_machine.travel(datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)):
        assert program_today(program) == datetime.date(2026, 3, 1)
