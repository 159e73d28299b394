"""Meetings must say something, and their mentor may change or delete them for a while.

A blank meeting form (date and minutes are filled in for the mentor) must not save a
content-free meeting; a mentor edits or deletes their own meeting within
MENTORING_MEETING_EDIT_DAYS of logging it, and each change is an event in the program's
history, with the meeting's metadata and never its notes.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from history.models import Event
from mentoring.models import ActionItem, Meeting
from mentoring.services.meetings import meeting_delete, meeting_log, meeting_update
from tests.mentoring.conftest import GOALS, SECRET
from tests.mentoring.test_views_meetings import create_url, form_data

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


def edit_url(mentoring, pk=None):
    return reverse("mentoring:meeting_edit", args=["alpha", pk or mentoring.meeting.pk])


def delete_url(mentoring, pk=None):
    return reverse("mentoring:meeting_delete", args=["alpha", pk or mentoring.meeting.pk])


def edit_data(**overrides):
    data = {
        "occurred_on": "2026-02-03",
        "duration_minutes": "50",
        "format": "phone",
        "kind": "regular",
        "topics": ["career planning"],
        "topics_other": "",
        "goals_discussed": "New goals",
        "private_notes": "New secret",
    }
    data.update(overrides)
    return data


class TestAMeetingMustSaySomething:
    def test_the_blank_form_does_not_save(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        before = Meeting.objects.count()
        blank = form_data(topics=[], topics_other="", goals_discussed="", private_notes="")
        blank["items-0-description"] = blank["items-0-due_on"] = ""
        response = client.post(create_url(mentoring), blank)
        assert response.status_code == 400
        assert "Say what the meeting was about" in response.content.decode()
        assert Meeting.objects.count() == before

    @pytest.mark.parametrize(
        "content",
        [{"topics": ["well-being"]}, {"goals_discussed": "Electives"}, {"private_notes": "Tired"}],
    )
    def test_one_topic_or_one_note_is_enough(self, mentoring, content):
        values = {"topics": [], "goals_discussed": "", "private_notes": "", **content}
        meeting = meeting_log(
            mentorship=mentoring.mentorship,
            by=None,
            occurred_on=TODAY,
            duration_minutes=30,
            today=TODAY,
            **values,
        )
        assert meeting.pk

    def test_the_service_refuses_a_meeting_without_content(self, mentoring):
        with pytest.raises(ValidationError) as refused:
            meeting_log(
                mentorship=mentoring.mentorship,
                by=None,
                occurred_on=TODAY,
                duration_minutes=30,
                goals_discussed="   ",
                today=TODAY,
            )
        assert "topics" in refused.value.message_dict


class TestTheMentorEditsTheirMeeting:
    def test_the_form_opens_with_the_meeting_filled_in(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.get(edit_url(mentoring))
        assert response.status_code == 200
        form = response.context["form"]
        assert form["occurred_on"].value() == datetime.date(2026, 2, 2)
        assert form["topics"].value() == ["fellowship applications"]
        assert form["private_notes"].value() == SECRET

    def test_a_meeting_logged_on_the_page_is_recorded_without_the_notes(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data())
        assert response.status_code == 302
        event = Event.objects.get(kind=Event.Kind.SETUP_CREATED)
        assert event.actor == mentoring.cast.faculty_user
        assert event.resident == mentoring.cast.resident
        assert event.before is None and event.after["duration_minutes"] == 40
        assert "Mentor only" not in str(event.after) + event.subject

    def test_an_edit_is_saved_and_recorded_without_the_notes(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(edit_url(mentoring), edit_data())
        assert response.status_code == 302
        meeting = Meeting.objects.get(pk=mentoring.meeting.pk)
        assert (meeting.occurred_on, meeting.duration_minutes, meeting.format) == (
            datetime.date(2026, 2, 3),
            50,
            "phone",
        )
        assert meeting.private_notes == "New secret"
        assert meeting.action_items.count() == 1  # kept
        event = Event.objects.get(kind=Event.Kind.SETUP_CHANGED)
        assert event.actor == mentoring.cast.faculty_user
        assert event.resident == mentoring.cast.resident
        assert event.before["occurred_on"] == "2026-02-02"
        assert event.after["duration_minutes"] == 50
        assert event.after["topics"] == ["career planning"]
        recorded = str(event.before) + str(event.after) + event.subject
        assert SECRET not in recorded and GOALS not in recorded and "New secret" not in recorded

    def test_a_bad_edit_re_renders_with_errors_and_changes_nothing(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        bad = edit_data(topics=[], goals_discussed="", private_notes="", duration_minutes="0")
        response = client.post(edit_url(mentoring), bad)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Say what the meeting was about" in page and "1 to 600 minutes" in page
        assert Meeting.objects.get(pk=mentoring.meeting.pk).duration_minutes == 30
        assert not Event.objects.exists()

    def test_after_the_window_the_meeting_is_a_record(
        self, client, mentoring, frozen_clock, settings
    ):
        settings.MENTORING_MEETING_EDIT_DAYS = 14
        frozen_clock.shift(datetime.timedelta(days=15))
        client.force_login(mentoring.cast.faculty_user)
        page = client.get(edit_url(mentoring)).content.decode()
        assert "is now a record" in page
        client.post(edit_url(mentoring), edit_data())
        assert Meeting.objects.get(pk=mentoring.meeting.pk).duration_minutes == 30
        with pytest.raises(ValidationError):
            meeting_update(
                meeting=mentoring.meeting,
                by=None,
                occurred_on=TODAY,
                duration_minutes=20,
                format="phone",
                kind="regular",
                topics=["feedback"],
            )
        detail = reverse("mentoring:meeting_detail", args=["alpha", mentoring.meeting.pk])
        assert 'id="meeting-change"' not in client.get(detail).content.decode()

    def test_the_window_is_a_setting(self, client, mentoring, frozen_clock, settings):
        settings.MENTORING_MEETING_EDIT_DAYS = 30
        frozen_clock.shift(datetime.timedelta(days=15))
        client.force_login(mentoring.cast.faculty_user)
        assert client.post(edit_url(mentoring), edit_data()).status_code == 302

    @pytest.mark.parametrize("who", ["resident_user", "director"])
    def test_the_resident_and_the_director_may_not_edit(self, client, mentoring, who):
        client.force_login(getattr(mentoring.cast, who))
        assert client.get(edit_url(mentoring)).status_code == 403
        assert client.post(delete_url(mentoring)).status_code == 403
        assert Meeting.objects.filter(pk=mentoring.meeting.pk).exists()

    def test_another_mentor_gets_a_404(self, client, mentoring):
        client.force_login(mentoring.other_mentor_user)
        assert client.get(edit_url(mentoring)).status_code in (403, 404)
        assert client.post(delete_url(mentoring)).status_code in (403, 404)


class TestTheMentorDeletesTheirMeeting:
    def test_a_delete_removes_the_meeting_and_records_what_it_was(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(delete_url(mentoring), {"reason": "Logged twice"})
        assert response.status_code == 302
        assert not Meeting.objects.filter(pk=mentoring.meeting.pk).exists()
        assert not ActionItem.objects.filter(meeting_id=mentoring.meeting.pk).exists()
        event = Event.objects.get(kind=Event.Kind.SETUP_DELETED)
        assert event.reason == "Logged twice" and event.after is None
        assert event.before["occurred_on"] == "2026-02-02"
        assert SECRET not in str(event.before)

    def test_the_meeting_page_offers_edit_and_delete_to_its_mentor_only(self, client, mentoring):
        detail = reverse("mentoring:meeting_detail", args=["alpha", mentoring.meeting.pk])
        client.force_login(mentoring.cast.faculty_user)
        assert 'id="meeting-change"' in client.get(detail).content.decode()
        client.force_login(mentoring.cast.resident_user)
        assert 'id="meeting-change"' not in client.get(detail).content.decode()

    def test_after_the_window_a_delete_is_refused(self, mentoring, frozen_clock, settings):
        settings.MENTORING_MEETING_EDIT_DAYS = 14
        frozen_clock.shift(datetime.timedelta(days=14, seconds=1))
        with pytest.raises(ValidationError):
            meeting_delete(meeting=mentoring.meeting, by=None)
        assert Meeting.objects.filter(pk=mentoring.meeting.pk).exists()
        assert not Event.objects.exists()


class TestProposingWithNobodyUnpaired:
    """Everyone has a mentor: "Propose pairs" must not draft an empty "Approve 0 changes"."""

    def test_it_guides_to_a_whole_program_proposal_instead_of_an_empty_draft(
        self, client, mentoring
    ):
        from mentoring.models import Mentorship, PairingProposal
        from programs.models import Resident

        # Everyone in the cast has a mentor already (the fixture pairs both residents).
        Resident.objects.filter(program=mentoring.cast.program).exclude(
            pk__in=Mentorship.objects.values("resident_id")
        ).delete()
        client.force_login(mentoring.cast.director)
        url = reverse("mentoring:proposal_create", args=["alpha"])
        response = client.post(url, {"scope": "unpaired", "keep_existing": "on"}, follow=True)
        assert not PairingProposal.objects.exists()
        page = response.content.decode()
        assert "No unpaired residents — propose for the whole program?" in page
        assert 'id="propose-everyone-paired"' in page
        # The form now offers the whole program, without keeping current pairs.
        form = response.context["propose_form"]
        assert form.initial == {"scope": "all", "keep_existing": False}

    def test_a_whole_program_proposal_is_still_possible(self, client, mentoring):
        from mentoring.models import PairingProposal

        client.force_login(mentoring.cast.director)
        url = reverse("mentoring:proposal_create", args=["alpha"])
        response = client.post(url, {"scope": "all"})
        proposal = PairingProposal.objects.get()
        assert response["Location"].endswith(f"/pairing/{proposal.pk}/")

    def test_proposals_have_dated_names_not_numbers(self, client, mentoring):
        from mentoring.services.pairing import pairing_propose

        proposal = pairing_propose(
            program=mentoring.cast.program, by=None, scope="all", keep_existing=False
        )
        assert proposal.label == "Pairing proposal of 1 Mar 2026, 12:00"
        client.force_login(mentoring.cast.director)
        page = client.get(reverse("mentoring:index", args=["alpha"])).content.decode()
        assert proposal.label in page and f">#{proposal.pk}<" not in page
