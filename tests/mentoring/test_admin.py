"""The mentoring admin lists only the staff user's programs and hides meeting content."""

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


def test_staff_see_only_their_programs_mentorships(client, mentoring, staff):
    foreign = MentorshipFactory(program=mentoring.cast.other_program)
    client.force_login(staff)
    listing = client.get(reverse("admin:mentoring_mentorship_changelist"))
    shown = {m.pk for m in listing.context["cl"].result_list}
    assert mentoring.mentorship.pk in shown and foreign.pk not in shown
    url = reverse("admin:mentoring_mentorship_change", args=[foreign.pk])
    assert client.get(url).status_code == 302  # the admin redirects an unknown object


def test_staff_see_only_their_programs_meetings(client, mentoring, staff):
    foreign = MeetingFactory(mentorship=MentorshipFactory(program=mentoring.cast.other_program))
    client.force_login(staff)
    listing = client.get(reverse("admin:mentoring_meeting_changelist"))
    shown = {m.pk for m in listing.context["cl"].result_list}
    assert shown == {mentoring.meeting.pk}
    assert foreign.pk not in shown


def test_foreign_key_choices_are_limited_to_the_staff_users_programs(client, mentoring, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:mentoring_mentorship_add"))
    programs = list(response.context["adminform"].form.fields["program"].queryset)
    assert programs == [mentoring.cast.program]


def test_superusers_see_every_program(client, mentoring, django_user_model):
    foreign = MentorshipFactory(program=mentoring.cast.other_program)
    root = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(root)
    listing = client.get(reverse("admin:mentoring_mentorship_changelist"))
    assert foreign.pk in {m.pk for m in listing.context["cl"].result_list}
