"""People see names, not internal codes; the invitation form starts on the common case."""

import pytest
from django.urls import reverse

from programs.forms import InviteForm
from programs.models import Role
from scheduling.xy import cohort_label
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_cohorts_are_named_with_letters_from_a():
    assert [cohort_label(c) for c in range(5)] == [
        "Cohort A",
        "Cohort B",
        "Cohort C",
        "Cohort D",
        "Cohort E",
    ]
    assert cohort_label(None) == ""


def test_the_roster_and_the_record_name_cohorts(client, two_programs):
    resident = ResidentFactory(
        program=two_programs.program, track=two_programs.resident.track, cohort=0
    )
    client.force_login(two_programs.director)
    roster = client.get(reverse("programs:roster", args=["alpha"])).content.decode()
    assert "<td>Cohort A</td>" in roster and '<option value="0" >Cohort A</option>' in roster
    detail = client.get(
        reverse("programs:resident_detail", args=["alpha", resident.pk])
    ).content.decode()
    assert "Cohort A" in detail and "cohort 0" not in detail


def test_the_invitation_role_defaults_to_resident(client, two_programs):
    assert InviteForm(program=two_programs.program)["role"].value() == Role.Kind.RESIDENT
    client.force_login(two_programs.director)
    page = client.get(reverse("programs:invite", args=["alpha"])).content.decode()
    assert '<option value="resident" selected>' in page
