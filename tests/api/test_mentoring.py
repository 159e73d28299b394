"""Mentorships and meetings over the API: the pages' privacy rules, and the mentor (only)
recording a meeting. A mentor's private notes reach that mentor and no one else."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentoring.models import Meeting
from tests.api.conftest import PEOPLE

pytestmark = pytest.mark.django_db

NOTES = "MENTOR-ONLY: worried about burnout"


@pytest.fixture(autouse=True)
def _autumn_2027():
    """Meetings cannot be in the future: the tests live in the fixture's academic year."""
    with time_machine.travel(datetime.datetime(2027, 9, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _meetings_url(api):
    return reverse("api:meetings", args=["alpha", api.mentorship.pk])


def _log(client, api, body, who="faculty_user"):
    return client.post(
        _meetings_url(api), body, content_type="application/json", headers=api.auth(who)
    )


def test_private_notes_reach_the_mentor_and_no_one_else(client, api):
    seen = {}
    for who in PEOPLE:
        response = client.get(_meetings_url(api), headers=api.auth(who))
        seen[who] = (response.status_code, NOTES in response.content.decode())
    assert seen == {
        "director": (200, False),
        "chief": (404, False),
        "faculty_user": (200, True),
        "resident_user": (200, False),
        "other_director": (404, False),
    }


def test_each_viewer_gets_their_part(client, api):
    def meeting(who):
        return client.get(_meetings_url(api), headers=api.auth(who)).json()["results"][0]

    mentor, resident, director = (
        meeting("faculty_user"),
        meeting("resident_user"),
        meeting("director"),
    )
    assert mentor["private_notes"] == NOTES
    assert mentor["start_time"] == "16:30"
    assert resident["private_notes"] is None
    assert resident["goals_discussed"] == "Cardiology fellowship plan"
    assert director["private_notes"] is None
    assert director["goals_discussed"] is None and director["action_items"] is None
    assert director["resident_reflection"] is None
    assert director["occurred_on"] == "2027-08-02" and director["topics"] == ["career planning"]


def test_mentorships_list_what_each_person_may_see_by_program_ids(client, api):
    url = reverse("api:mentorships", args=["alpha"])

    def rows(who):
        return client.get(url, headers=api.auth(who)).json()["results"]

    (row,) = rows("director")
    assert row["mentor"] == api.cast.faculty.external_id
    assert row["resident"] == api.cast.resident.external_id
    assert (row["viewer"], row["meeting_count"], row["last_meeting_on"]) == (
        "manager",
        1,
        "2027-08-02",
    )
    assert [r["viewer"] for r in rows("faculty_user")] == ["mentor"]
    assert [r["viewer"] for r in rows("resident_user")] == ["resident"]
    assert rows("chief") == []
    assert NOTES not in client.get(url, headers=api.auth("faculty_user")).content.decode()


def test_mentorships_filter_by_resident_and_state(client, api):
    url = reverse("api:mentorships", args=["alpha"])
    auth = api.auth("director")
    mine = {"resident": api.cast.resident.external_id}
    assert client.get(url, mine, headers=auth).json()["count"] == 1
    assert client.get(url, {"resident": "nobody"}, headers=auth).json()["count"] == 0
    assert client.get(url, {"active": "false"}, headers=auth).json()["count"] == 0
    assert client.get(url, {"active": "maybe"}, headers=auth).status_code == 400


def test_the_mentor_records_a_meeting(client, api, django_capture_on_commit_callbacks):
    body = {
        "occurred_on": "2027-09-01",
        "start_time": "08:15",
        "duration_minutes": 45,
        "format": "virtual",
        "topics": ["research"],
        "private_notes": "keep an eye on sleep",
        "action_items": [{"description": "Draft the abstract", "due_on": "2027-09-15"}],
    }
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _log(client, api, body)
    assert response.status_code == 201, response.json()
    assert len(queued) == 1  # the resident's e-mail, after the commit
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.start_time == datetime.time(8, 15)
    assert meeting.logged_by == api.cast.faculty_user
    assert [i.description for i in meeting.action_items.all()] == ["Draft the abstract"]
    assert response.json()["private_notes"] == "keep an eye on sleep"
    assert (response.json()["format"], response.json()["kind"]) == ("virtual", "regular")


@pytest.mark.parametrize(("who", "expected"), [("director", 403), ("resident_user", 403)])
def test_only_the_mentor_records_a_meeting(client, api, who, expected):
    body = {"occurred_on": "2027-09-01", "duration_minutes": 30}
    assert _log(client, api, body, who).status_code == expected
    assert Meeting.objects.count() == 1


def test_another_programs_director_cannot_find_the_mentorship(client, api):
    body = {"occurred_on": "2027-09-01", "duration_minutes": 30}
    assert _log(client, api, body, "other_director").status_code == 404
    url = reverse("api:meetings", args=["beta", api.mentorship.pk])
    assert client.get(url, headers=api.auth("other_director")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duration_minutes": 30}, "occurred_on"),
        ({"occurred_on": "2027-09-01", "duration_minutes": 0}, "duration_minutes"),
        ({"occurred_on": "2027-09-01", "duration_minutes": 30, "format": "x"}, "format"),
        (
            {"occurred_on": "2027-09-01", "duration_minutes": 30, "start_time": "25:00"},
            "start_time",
        ),
        # The service's rules: not before the mentorship began.
        ({"occurred_on": "2027-01-01", "duration_minutes": 30}, "occurred_on"),
        (
            {
                "occurred_on": "2027-09-01",
                "duration_minutes": 30,
                "action_items": [{"description": "x", "due_on": "2027-08-01"}],
            },
            "action_items",
        ),
    ],
)
def test_a_bad_meeting_is_a_400_naming_the_field(client, api, body, field):
    response = _log(client, api, body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Meeting.objects.count() == 1


def test_an_ended_mentorship_takes_no_more_meetings(client, api):
    api.mentorship.ended_on = datetime.date(2027, 8, 31)
    api.mentorship.save(update_fields=["ended_on"])
    response = _log(client, api, {"occurred_on": "2027-08-20", "duration_minutes": 30})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["fields"]


def test_a_meeting_recorded_through_the_api_is_in_the_history_like_one_from_the_page(client, api):
    from history.models import Event

    body = {
        "occurred_on": "2027-09-01",
        "duration_minutes": 45,
        "format": "virtual",
        "topics": ["research"],
        "private_notes": "keep an eye on sleep",
    }
    assert _log(client, api, body).status_code == 201
    event = Event.objects.get(kind=Event.Kind.SETUP_CREATED)
    assert event.actor == api.cast.faculty_user and event.resident == api.cast.resident
    assert event.before is None and event.after["duration_minutes"] == 45
    assert event.after["private_notes_chars"] == len("keep an eye on sleep")
    assert "sleep" not in str(event.after) + event.subject  # metadata only, never the notes


def test_a_meeting_changed_through_the_api_is_in_the_history_like_an_edit_on_the_page(client, api):
    from history.models import Event
    from tests.api.test_urls_access import MEETING, _past_meeting

    url = reverse("api:meeting", args=_past_meeting(api))
    body = {**MEETING, "private_notes": "new private words"}
    response = client.put(
        url, body, content_type="application/json", headers=api.auth("faculty_user")
    )
    assert response.status_code == 200, response.json()
    assert response.json()["private_notes"] == "new private words"  # the mentor's own
    meeting = Meeting.objects.get(pk=api.meeting.pk)
    assert (meeting.duration_minutes, meeting.format) == (50, "phone")
    event = Event.objects.get(kind=Event.Kind.SETUP_CHANGED)
    assert event.actor == api.cast.faculty_user and event.resident == api.cast.resident
    assert event.before["occurred_on"] == "2026-11-02"
    assert event.after["occurred_on"] == datetime.date(2026, 11, 16).isoformat()
    recorded = str(event.before) + str(event.after) + event.subject
    assert "new private words" not in recorded and NOTES not in recorded


def test_a_bad_meeting_change_is_a_400_by_field_and_changes_nothing(client, api):
    from history.models import Event
    from tests.api.test_urls_access import MEETING, _past_meeting

    url = reverse("api:meeting", args=_past_meeting(api))
    body = {**MEETING, "duration_minutes": 0, "occurred_on": "2031-01-01"}
    response = client.put(
        url, body, content_type="application/json", headers=api.auth("faculty_user")
    )
    assert response.status_code == 400
    assert "duration_minutes" in response.json()["fields"]
    assert not Event.objects.exists()
