"""The privacy promise: a mentor's private notes are seen by that mentor only.

Every page someone else can open is rendered and searched for the note, as are the calendar
entries, the `propose_mentors` JSON and the e-mails. The resident's reflection, the goals
discussed and the action items are shared between mentor and resident only.
"""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from mentoring.selectors.mentorships import meetings_for_calendar
from mentoring.services.pairing import pairing_propose
from mentoring.services.reminders import meeting_notify_resident
from tests.mentoring.conftest import GOALS, ITEM, REFLECTION, SECRET

pytestmark = pytest.mark.django_db


def pages(mentoring):
    """Every mentoring page of program alpha, by URL name and arguments."""
    cast = mentoring.cast
    proposal = pairing_propose(
        program=cast.program, by=cast.director, scope="all", keep_existing=False
    )
    return [
        ("mentoring:index", []),
        ("mentoring:mentor_home", []),
        ("mentoring:resident_home", []),
        ("mentoring:mentorship_detail", [mentoring.mentorship.pk]),
        ("mentoring:meeting_detail", [mentoring.meeting.pk]),
        ("mentoring:meeting_create", [mentoring.mentorship.pk]),
        ("mentoring:proposal_detail", [proposal.pk]),
        ("mentoring:mentor_profile", [cast.faculty.pk]),
        ("mentoring:resident_profile", [cast.resident.pk]),
        ("programs:resident_detail", [cast.resident.pk]),
    ]


def html_seen_by(client, user, mentoring):
    client.force_login(user)
    seen = []
    for name, args in pages(mentoring):
        response = client.get(reverse(name, args=["alpha", *args]))
        assert response.status_code in (200, 302, 403, 404), name
        seen.append((name, response.status_code, response.content.decode()))
    return seen


def test_the_mentor_sees_their_private_notes(client, mentoring):
    seen = html_seen_by(client, mentoring.cast.faculty_user, mentoring)
    assert any(SECRET in html for _, _, html in seen)


@pytest.mark.parametrize(
    "who", ["resident_user", "director", "chief", "other_director", "other_resident_user"]
)
def test_nobody_else_in_the_cast_ever_sees_them(client, mentoring, who):
    for name, status, html in html_seen_by(client, getattr(mentoring.cast, who), mentoring):
        assert SECRET not in html, f"{name} ({status}) shows the private notes to {who}"


@pytest.mark.parametrize("who", ["other_mentor_user", "other_mentee_user"])
def test_other_mentors_and_residents_see_nothing_of_the_meeting(client, mentoring, who):
    for name, status, html in html_seen_by(client, getattr(mentoring, who), mentoring):
        for private in (SECRET, REFLECTION, GOALS, ITEM):
            assert private not in html, f"{name} ({status}) shows {private} to {who}"


def test_directors_see_neither_the_reflection_nor_the_shared_content(client, mentoring):
    for name, status, html in html_seen_by(client, mentoring.cast.director, mentoring):
        for private in (REFLECTION, GOALS, ITEM):
            assert private not in html, f"{name} ({status}) shows {private} to the director"


def test_the_htmx_tick_response_has_no_private_notes(client, mentoring):
    item = mentoring.meeting.action_items.get()
    client.force_login(mentoring.cast.resident_user)
    response = client.post(
        reverse("mentoring:action_item_toggle", args=["alpha", item.pk]),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    assert SECRET not in response.content.decode()


def test_the_calendar_entries_have_no_private_content(mentoring):
    for user in (mentoring.cast.faculty_user, mentoring.cast.resident_user):
        for entry in meetings_for_calendar(user=user):
            text = f"{entry.uid} {entry.title} {entry.description}"
            for private in (SECRET, REFLECTION, GOALS, ITEM):
                assert private not in text


@pytest.mark.parametrize("flags", [[], ["--all"], ["--all", "--save"]])
def test_the_propose_mentors_json_has_no_meeting_content(mentoring, flags):
    out = StringIO()
    call_command("propose_mentors", "alpha", "--json", *flags, stdout=out)
    report = json.loads(out.getvalue())
    assert report["program"] == "alpha"
    for private in (SECRET, REFLECTION, GOALS, ITEM):
        assert private not in out.getvalue()


def test_the_e_mail_to_the_resident_has_no_private_notes(
    mentoring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_notify_resident(meeting_id=mentoring.meeting.pk)
    [message] = mail.outbox
    assert SECRET not in message.body and GOALS not in message.body


@pytest.fixture
def staff_director(mentoring):
    director = mentoring.cast.director
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    director.user_permissions.set(Permission.objects.filter(content_type__app_label="mentoring"))
    return director


def test_the_admin_never_shows_meeting_content(client, operator_client, mentoring, staff_director):
    urls = [
        reverse("admin:mentoring_meeting_changelist"),
        reverse("admin:mentoring_meeting_change", args=[mentoring.meeting.pk]),
        reverse("admin:mentoring_actionitem_changelist"),
        reverse("admin:mentoring_mentorship_change", args=[mentoring.mentorship.pk]),
    ]
    for url in urls:
        response = operator_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for private in (SECRET, REFLECTION, GOALS, ITEM):
            assert private not in html, f"{url} shows {private}"
    # Program staff, even with the model permissions, do not get in at all.
    operator_client.logout()
    client.force_login(staff_director)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_operators_do_not_see_private_notes_in_the_app_either(operator_client, mentoring):
    url = reverse("admin:mentoring_meeting_change", args=[mentoring.meeting.pk])
    response = operator_client.get(url)
    assert response.status_code == 200 and SECRET not in response.content.decode()
    director_page = operator_client.get(
        reverse("mentoring:meeting_detail", args=["alpha", mentoring.meeting.pk])
    )
    assert director_page.status_code == 200
    assert SECRET not in director_page.content.decode()
