"""The meeting form, the meeting page, and the resident's confirm, reflection and ticks."""

import datetime

import pytest
from django.urls import reverse

from mentoring.models import ActionItem, Meeting
from tests.mentoring.conftest import GOALS, ITEM, REFLECTION, SECRET

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


def create_url(mentoring, slug="alpha"):
    return reverse("mentoring:meeting_create", args=[slug, mentoring.mentorship.pk])


def form_data(**overrides):
    data = {
        "occurred_on": "2026-02-27",
        "duration_minutes": "40",
        "format": "virtual",
        "kind": "regular",
        "topics": ["career planning", "well-being"],
        "topics_other": "ECG reading, night float",
        "goals_discussed": "Pick electives",
        "private_notes": "Mentor only",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "10",
        "items-0-description": "Email the cardiology PD",
        "items-0-owner": "resident",
        "items-0-due_on": "2026-03-15",
        "items-1-description": "",
        "items-1-owner": "resident",
        "items-1-due_on": "",
        "items-2-description": "",
        "items-2-owner": "mentor",
        "items-2-due_on": "",
    }
    data.update(overrides)
    return data


class TestMeetingCreate:
    def test_the_mentor_gets_the_form_with_today_filled_in(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.get(create_url(mentoring))
        assert response.status_code == 200
        assert response.context["form"]["occurred_on"].value() == TODAY

    def test_the_mentor_logs_a_meeting_in_one_post(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data())
        assert response.status_code == 302
        meeting = Meeting.objects.get(occurred_on=datetime.date(2026, 2, 27))
        assert meeting.topics == ["career planning", "well-being", "ECG reading", "night float"]
        assert meeting.format == "virtual" and meeting.duration_minutes == 40
        assert meeting.private_notes == "Mentor only"
        items = list(meeting.action_items.values_list("description", "owner", "due_on"))
        assert items == [("Email the cardiology PD", "resident", datetime.date(2026, 3, 15))]
        assert meeting.start_time is None  # optional: an all-day event in the mentor's feed

    def test_the_mentor_may_give_the_start_time(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data(start_time="14:30"))
        assert response.status_code == 302
        meeting = Meeting.objects.get(occurred_on=datetime.date(2026, 2, 27))
        assert meeting.start_time == datetime.time(14, 30)

    @pytest.mark.parametrize(
        "overrides, field, message",
        [
            ({"occurred_on": "2026-03-02"}, "occurred_on", "cannot be in the future"),
            ({"occurred_on": "not a date"}, "occurred_on", "Enter a valid date"),
            ({"duration_minutes": "0"}, "duration_minutes", "1 to 600 minutes"),
            ({"duration_minutes": "601"}, "duration_minutes", "1 to 600 minutes"),
            ({"duration_minutes": "half an hour"}, "duration_minutes", "whole minutes"),
            ({"format": "carrier pigeon"}, "format", "Select a valid choice"),
            ({"start_time": "teatime"}, "start_time", "HH:MM"),
        ],
    )
    def test_bad_input_re_renders_the_form_with_errors_and_saves_nothing(
        self, client, mentoring, overrides, field, message
    ):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data(**overrides))
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert "Nothing was saved" in response.content.decode()
        assert Meeting.objects.count() == 1 and ActionItem.objects.count() == 1

    def test_an_action_item_with_a_due_date_but_no_description_is_refused(self, client, mentoring):
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data(**{"items-1-due_on": "2026-03-20"}))
        assert response.status_code == 400
        assert response.context["items"][1].errors["description"]
        assert Meeting.objects.count() == 1

    def test_a_meeting_on_an_ended_mentorship_is_refused(self, client, mentoring):
        mentoring.mentorship.ended_on = datetime.date(2026, 2, 28)
        mentoring.mentorship.save(update_fields=["ended_on"])
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(create_url(mentoring), form_data())
        assert response.status_code == 400
        assert "ended on 28 Feb 2026" in " ".join(response.context["form"].non_field_errors())
        assert Meeting.objects.count() == 1

    def test_the_resident_and_the_director_may_not_log(self, client, mentoring):
        for user in (mentoring.cast.resident_user, mentoring.cast.director):
            client.force_login(user)
            assert client.get(create_url(mentoring)).status_code == 403
            assert client.post(create_url(mentoring), form_data()).status_code == 403
        assert Meeting.objects.count() == 1

    def test_other_mentors_and_outsiders_get_a_404(self, client, mentoring):
        client.force_login(mentoring.other_mentor_user)
        assert client.post(create_url(mentoring), form_data()).status_code == 404
        client.force_login(mentoring.cast.other_director)
        assert client.get(create_url(mentoring)).status_code == 404
        assert client.get(create_url(mentoring, "beta")).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, mentoring):
        assert client.post(create_url(mentoring), form_data()).status_code == 302
        assert Meeting.objects.count() == 1


def detail(client, user, mentoring, slug="alpha"):
    client.force_login(user)
    return client.get(reverse("mentoring:meeting_detail", args=[slug, mentoring.meeting.pk]))


class TestMeetingDetail:
    def test_the_mentor_sees_their_private_notes(self, client, mentoring):
        html = detail(client, mentoring.cast.faculty_user, mentoring).content.decode()
        assert SECRET in html and REFLECTION in html and ITEM in html

    def test_the_resident_sees_the_shared_parts_and_a_reflection_form(self, client, mentoring):
        response = detail(client, mentoring.cast.resident_user, mentoring)
        html = response.content.decode()
        assert GOALS in html and ITEM in html and REFLECTION in html
        assert SECRET not in html
        assert "I attended" in html

    def test_a_director_sees_metadata_only(self, client, mentoring):
        html = detail(client, mentoring.cast.director, mentoring).content.decode()
        assert "fellowship applications" in html and "1 open and 0 done" in html
        for text in (SECRET, GOALS, REFLECTION, ITEM):
            assert text not in html

    def test_others_get_a_404(self, client, mentoring):
        assert detail(client, mentoring.other_mentee_user, mentoring).status_code == 404
        assert detail(client, mentoring.other_mentor_user, mentoring).status_code == 404
        assert detail(client, mentoring.cast.other_director, mentoring).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, mentoring):
        url = reverse("mentoring:meeting_detail", args=["alpha", mentoring.meeting.pk])
        assert client.get(url).status_code == 302


class TestResidentResponses:
    def url(self, name, mentoring):
        return reverse(f"mentoring:{name}", args=["alpha", mentoring.meeting.pk])

    def test_the_resident_confirms_attendance(self, client, mentoring):
        client.force_login(mentoring.cast.resident_user)
        assert client.post(self.url("meeting_confirm", mentoring)).status_code == 302
        assert Meeting.objects.get(pk=mentoring.meeting.pk).resident_confirmed_at

    def test_the_resident_writes_a_reflection(self, client, mentoring):
        client.force_login(mentoring.cast.resident_user)
        response = client.post(self.url("meeting_reflect", mentoring), {"reflection": "Clear"})
        assert response.status_code == 302
        meeting = Meeting.objects.get(pk=mentoring.meeting.pk)
        assert meeting.resident_reflection == "Clear"
        assert meeting.private_notes == SECRET

    def test_a_reflection_that_is_too_long_re_renders_with_an_error(self, client, mentoring):
        client.force_login(mentoring.cast.resident_user)
        response = client.post(self.url("meeting_reflect", mentoring), {"reflection": "x" * 5001})
        assert response.status_code == 400
        assert response.context["reflection_form"].errors["reflection"]
        assert SECRET not in response.content.decode()

    @pytest.mark.parametrize("name", ["meeting_confirm", "meeting_reflect"])
    def test_only_the_resident_responds(self, client, mentoring, name):
        for user, status in (
            (mentoring.cast.faculty_user, 403),
            (mentoring.cast.director, 403),
            (mentoring.other_mentee_user, 404),
            (mentoring.cast.other_director, 404),
        ):
            client.force_login(user)
            assert client.post(self.url(name, mentoring), {"reflection": "x"}).status_code == status
        assert Meeting.objects.get(pk=mentoring.meeting.pk).resident_reflection == REFLECTION

    @pytest.mark.parametrize("name", ["meeting_confirm", "meeting_reflect"])
    def test_writes_are_post_only(self, client, mentoring, name):
        client.force_login(mentoring.cast.resident_user)
        assert client.get(self.url(name, mentoring)).status_code == 405

    def test_anonymous_visitors_cannot_respond(self, client, mentoring):
        assert client.post(self.url("meeting_confirm", mentoring)).status_code == 302
        assert Meeting.objects.get(pk=mentoring.meeting.pk).resident_confirmed_at is None


class TestActionItemToggle:
    def url(self, mentoring):
        item = mentoring.meeting.action_items.get()
        return item, reverse("mentoring:action_item_toggle", args=["alpha", item.pk])

    def test_the_resident_ticks_an_item_with_htmx_and_gets_the_row_back(self, client, mentoring):
        item, url = self.url(mentoring)
        client.force_login(mentoring.cast.resident_user)
        response = client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="action-item-{item.pk}"' in html and "<html" not in html
        assert ActionItem.objects.get(pk=item.pk).done_at is not None

    def test_without_htmx_it_redirects_back_to_a_local_page_only(self, client, mentoring):
        item, url = self.url(mentoring)
        client.force_login(mentoring.cast.faculty_user)
        response = client.post(url, {"done": "1", "next": "/p/alpha/mentoring/"})
        assert response["Location"] == "/p/alpha/mentoring/"
        response = client.post(url, {"done": "0", "next": "https://evil.example/"})
        assert response["Location"].endswith(f"/meetings/{mentoring.meeting.pk}/")
        assert ActionItem.objects.get(pk=item.pk).done_at is None

    def test_a_director_and_others_may_not_tick(self, client, mentoring):
        item, url = self.url(mentoring)
        for user, status in (
            (mentoring.cast.director, 403),
            (mentoring.other_mentor_user, 404),
            (mentoring.cast.other_director, 404),
        ):
            client.force_login(user)
            assert client.post(url, {"done": "1"}).status_code == status
        assert ActionItem.objects.get(pk=item.pk).done_at is None
        client.logout()
        assert client.post(url, {"done": "1"}).status_code == 302
