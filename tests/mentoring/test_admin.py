"""The mentoring admin: program staff are kept out of it altogether (they see mentoring in
the app, metadata only), and the site operators who may use it never see meeting content."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from mentoring.admin import MeetingAdmin
from tests.mentoring.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(mentoring):
    director = mentoring.cast.director
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    director.user_permissions.set(Permission.objects.filter(content_type__app_label="mentoring"))
    return director


def test_the_meeting_form_has_no_private_fields():
    assert {"private_notes", "goals_discussed", "resident_reflection"} <= set(MeetingAdmin.exclude)


def test_staff_see_no_mentorship_not_even_their_programs(client, mentoring, staff):
    foreign = MentorshipFactory(program=mentoring.cast.other_program)
    client.force_login(staff)
    for url in (
        reverse("admin:mentoring_mentorship_changelist"),
        reverse("admin:mentoring_mentorship_change", args=[mentoring.mentorship.pk]),
        reverse("admin:mentoring_mentorship_change", args=[foreign.pk]),
        reverse("admin:mentoring_mentorship_add"),
    ):
        assert client.get(url).status_code == 403, url


def test_staff_see_no_meeting_not_even_their_programs(client, mentoring, staff):
    foreign = MeetingFactory(mentorship=MentorshipFactory(program=mentoring.cast.other_program))
    client.force_login(staff)
    for url in (
        reverse("admin:mentoring_meeting_changelist"),
        reverse("admin:mentoring_meeting_change", args=[mentoring.meeting.pk]),
        reverse("admin:mentoring_meeting_change", args=[foreign.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_operators_see_every_program(operator_client, mentoring):
    foreign = MentorshipFactory(program=mentoring.cast.other_program)
    listing = operator_client.get(reverse("admin:mentoring_mentorship_changelist"))
    shown = {m.pk for m in listing.context["cl"].result_list}
    assert {foreign.pk, mentoring.mentorship.pk} <= shown
