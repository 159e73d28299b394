"""Reads: meetings as each viewer may see them, the dashboards, the calendar entries."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from mentoring.access import Viewer
from mentoring.cadence import Status
from mentoring.models import Meeting
from mentoring.selectors.mentorships import (
    CalendarMeeting,
    director_dashboard,
    meeting_views,
    meetings_for_calendar,
    mentor_dashboard,
    resident_mentoring,
)
from tests.factories import FacultyFactory
from tests.mentoring.conftest import GOALS, ITEM, REFLECTION, SECRET
from tests.mentoring.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def views_for(mentoring, viewer):
    return meeting_views(
        meetings=Meeting.objects.filter(mentorship=mentoring.mentorship), viewer=viewer
    )


def test_the_mentor_sees_everything_of_a_meeting(mentoring):
    [view] = views_for(mentoring, Viewer.MENTOR)
    assert view.private_notes == SECRET
    assert (view.goals_discussed, view.resident_reflection) == (GOALS, REFLECTION)
    assert [i.description for i in view.action_items] == [ITEM]


def test_the_resident_sees_the_shared_parts_but_not_the_private_notes(mentoring):
    [view] = views_for(mentoring, Viewer.RESIDENT)
    assert view.private_notes is None
    assert (view.goals_discussed, view.resident_reflection) == (GOALS, REFLECTION)


def test_a_manager_sees_metadata_and_counts_only(mentoring):
    [view] = views_for(mentoring, Viewer.MANAGER)
    assert view.private_notes is None
    assert view.goals_discussed is None and view.resident_reflection is None
    assert view.action_items is None
    assert (view.open_items, view.done_items) == (1, 0)
    assert view.topics == ["fellowship applications"]
    assert view.occurred_on == datetime.date(2026, 2, 2)


def test_meeting_views_take_the_same_queries_for_one_or_many(mentoring, django_assert_num_queries):
    for _ in range(5):
        MeetingFactory(mentorship=mentoring.mentorship)
    with django_assert_num_queries(2):
        views_for(mentoring, Viewer.RESIDENT)
    with django_assert_num_queries(1):
        views_for(mentoring, Viewer.MANAGER)


def test_the_director_dashboard_counts_mentees_by_status(mentoring, frozen_clock):
    program = mentoring.cast.program
    due_soon = MentorshipFactory(program=program, started_on=datetime.date(2025, 12, 1))
    overdue = MentorshipFactory(program=program, started_on=datetime.date(2025, 9, 1))
    summary = director_dashboard(program=program)
    assert summary["counts"] == {"on_track": 2, "due_soon": 1, "overdue": 1}
    assert [r.mentorship for r in summary["by_status"]["overdue"]] == [overdue]
    assert [r.mentorship for r in summary["by_status"]["due_soon"]] == [due_soon]
    assert summary["open_items_total"] == 1
    assert summary["rows"][0].cadence.status is Status.OVERDUE


def test_the_director_dashboard_shows_mentor_load_against_capacity(mentoring):
    idle = FacultyFactory(program=mentoring.cast.program, mentor_capacity=2)
    loads = {
        m.faculty: m.load for m in director_dashboard(program=mentoring.cast.program)["mentors"]
    }
    assert loads[mentoring.cast.faculty] == 1 and loads[idle] == 0


def test_the_director_dashboard_lists_residents_without_a_mentor(mentoring):
    unpaired = director_dashboard(program=mentoring.cast.program)["unpaired"]
    assert unpaired == []
    mentoring.mentorship.ended_on = datetime.date(2026, 2, 20)
    mentoring.mentorship.save(update_fields=["ended_on"])
    unpaired = director_dashboard(program=mentoring.cast.program)["unpaired"]
    assert unpaired == [mentoring.cast.resident]


def test_the_mentor_dashboard_lists_their_mentees_and_open_items(mentoring):
    page = mentor_dashboard(faculty=mentoring.cast.faculty)
    assert [r.mentorship for r in page["rows"]] == [mentoring.mentorship]
    assert [i.description for i in page["open_items"]] == [ITEM]


def test_the_resident_page_has_their_mentor_meetings_and_open_items(mentoring):
    page = resident_mentoring(resident=mentoring.cast.resident)
    assert page["current"].mentorship == mentoring.mentorship
    assert [m.private_notes for m in page["meetings"]] == [None]
    assert [item.description for _meeting, item in page["open_items"]] == [ITEM]


def test_the_calendar_has_the_mentors_meetings_without_private_content(mentoring):
    [entry] = meetings_for_calendar(user=mentoring.cast.faculty_user)
    assert entry == CalendarMeeting(
        uid=f"mentoring-meeting-{mentoring.meeting.pk}@residency",
        date=datetime.date(2026, 2, 2),
        title=f"Mentoring meeting with {mentoring.cast.resident.name} (mentee)",
        description="Alpha IM. In person, 30 min. Topics: fellowship applications.",
    )


def test_the_calendar_has_the_residents_meetings_too(mentoring):
    [entry] = meetings_for_calendar(user=mentoring.cast.resident_user)
    assert entry.title == f"Mentoring meeting with {mentoring.cast.faculty.name} (mentor)"
    for private in (SECRET, REFLECTION, GOALS, ITEM):
        assert private not in entry.title + entry.description


def test_the_calendar_names_career_conferences(mentoring):
    Meeting.objects.filter(pk=mentoring.meeting.pk).update(kind=Meeting.Kind.CAREER_CONFERENCE)
    [entry] = meetings_for_calendar(user=mentoring.cast.faculty_user)
    assert entry.title.startswith("Career conference with")


def test_the_calendar_shows_nothing_of_other_peoples_meetings(mentoring):
    assert meetings_for_calendar(user=mentoring.other_mentor_user) == []
    assert meetings_for_calendar(user=mentoring.cast.director) == []
    assert meetings_for_calendar(user=AnonymousUser()) == []


def test_the_calendar_does_not_read_private_fields(mentoring, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        meetings_for_calendar(user=mentoring.cast.faculty_user)
    sql = captured.captured_queries[0]["sql"]
    for column in ("private_notes", "resident_reflection", "goals_discussed"):
        assert column not in sql
