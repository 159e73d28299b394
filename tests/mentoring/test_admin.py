"""The mentoring admin: program staff are kept out of it altogether (they see mentoring in
the app, metadata only), and the site operators who may use it never see meeting content."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from mentoring.admin import MeetingAdmin
from mentoring.models import Meeting
from tests.mentoring.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(mentoring):
    director = mentoring.cast.director
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    director.user_permissions.set(Permission.objects.filter(content_type__app_label="mentoring"))
    return director


def test_the_meeting_form_has_no_private_fields(rf, operator):
    request = rf.get("/admin/")
    request.user = operator
    private = {"private_notes", "goals_discussed", "resident_reflection"}
    assert private <= set(MeetingAdmin.secret_fields)
    form = admin.site._registry[Meeting].get_form(request)
    assert not private & set(form.base_fields)


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


PRIVATE_LOOKUPS = [
    ("meeting", "private_notes__contains", "SECRET"),
    ("meeting", "private_notes__icontains", "secret"),
    ("meeting", "private_notes__startswith", "S"),
    ("meeting", "private_notes", "SECRET-NOTE-only-for-the-mentor"),
    ("meeting", "resident_reflection__contains", "REFLECTION"),
    ("meeting", "goals_discussed__contains", "GOALS"),
    ("actionitem", "description__contains", "ITEM"),
    ("actionitem", "meeting__private_notes__contains", "SECRET"),
    ("mentorship", "meetings__private_notes__contains", "SECRET"),
    ("mentorship", "meetings__resident_reflection__contains", "REFLECTION"),
]


@pytest.mark.parametrize(("model", "lookup", "value"), PRIVATE_LOOKUPS)
def test_private_fields_cannot_be_filtered_on(operator_client, mentoring, model, lookup, value):
    """A filter that matched would tell, one guess at a time, what the notes say."""
    url = reverse(f"admin:mentoring_{model}_changelist")
    assert operator_client.get(url).status_code == 200
    assert operator_client.get(url, {lookup: value}).status_code == 400


def test_search_never_reads_private_fields(operator_client, mentoring):
    url = reverse("admin:mentoring_meeting_changelist")
    for private in ("SECRET-NOTE", "REFLECTION", "GOALS"):
        listing = operator_client.get(url, {"q": private})
        assert listing.status_code == 200 and list(listing.context["cl"].result_list) == []


def test_no_private_field_is_listed_filtered_searched_or_in_the_form(rf, operator, mentoring):
    request = rf.get("/admin/")
    request.user = operator
    model_admin = admin.site._registry[Meeting]
    private = {"private_notes", "goals_discussed", "resident_reflection"}
    named = {
        *model_admin.get_list_display(request),
        *model_admin.get_list_filter(request),
        *model_admin.get_search_fields(request),
        *model_admin.get_fields(request, mentoring.meeting),
        *model_admin.get_readonly_fields(request, mentoring.meeting),
    }
    assert not {name.split("__")[0] for name in named if isinstance(name, str)} & private


def test_listing_a_private_field_fails_the_system_check():
    """A later edit that lists, filters or searches a private field does not go unnoticed."""

    class Careless(MeetingAdmin):
        list_display = ("occurred_on", "private_notes")
        search_fields = ("mentorship__resident__name", "resident_reflection")

    errors = Careless(Meeting, admin.site).check()
    assert {(error.id, error.msg) for error in errors} >= {
        ("residency.E001", "list_display names the secret field 'private_notes'."),
        ("residency.E001", "search_fields names the secret field 'resident_reflection'."),
    }
    assert not [
        error for error in admin.site._registry[Meeting].check() if error.id.startswith("residency")
    ]
