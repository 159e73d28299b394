"""Rows that link rows stay within one program (issue 9: the admin saved a B rotation into an
A requirement, and moved an invitation to program B).

The rule lives in the models' `clean()`, so every form and service that `full_clean`s keeps
it; a requirement's tracks and rotations (many-to-many, which `clean()` cannot see) are
checked by the admin form and by the import that writes them. On a row's admin page, the
choices are the row's program's only.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitation_accept, invitation_create
from programs.bundle.import_curriculum import import_requirements
from programs.bundle.summary import ImportSummary
from programs.models import Requirement, ResidentRequest, Role
from tests.factories import (
    FacultyFactory,
    ResidentFactory,
    RoleFactory,
    RotationFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.validation import clean_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_rotation(two_programs):
    return RotationFactory(program=two_programs.other_program, code="BICU")


@pytest.fixture
def requirement(two_programs):
    requirement = Requirement.objects.create(
        program=two_programs.program, pgy_levels=[1], min_weeks=2
    )
    requirement.rotations.set([RotationFactory(program=two_programs.program, code="WARDS")])
    return requirement


# --- models -----------------------------------------------------------------------------


def test_a_residents_track_is_one_of_their_programs(two_programs):
    resident = two_programs.resident
    resident.track = two_programs.other_resident.track
    assert "track" in clean_errors(resident)


def test_a_residents_wish_names_a_rotation_of_their_program(two_programs, beta_rotation):
    wish = ResidentRequest(
        resident=two_programs.resident, kind=ResidentRequest.Kind.AVOID, rotation=beta_rotation
    )
    assert "rotation" in clean_errors(wish)
    wish.rotation = RotationFactory(program=two_programs.program)
    wish.full_clean()


def test_a_record_is_linked_only_to_an_account_with_a_role_in_its_program(two_programs):
    """The link makes the account that mentor or that resident: their meetings, their
    private notes, their schedule and calendar. An outsider's account may not take it."""
    faculty = FacultyFactory(program=two_programs.program)
    faculty.user = two_programs.other_director
    assert "user" in clean_errors(faculty)
    resident = two_programs.resident
    resident.user = two_programs.other_resident_user
    assert "user" in clean_errors(resident)
    faculty.user = two_programs.director  # a director who also mentors
    faculty.full_clean()


def test_an_account_is_linked_to_one_record_of_a_kind_per_program(two_programs):
    second = FacultyFactory(program=two_programs.program, user=two_programs.faculty_user)
    assert "user" in clean_errors(second)
    twin = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    twin.user = two_programs.resident_user
    assert "user" in clean_errors(twin)


def test_an_invitation_names_records_of_its_own_program(two_programs):
    invitation = Invitation(
        program=two_programs.program,
        email="x@example.org",
        role=Role.Kind.RESIDENT,
        resident=two_programs.other_resident,
        expires_at="2099-01-01T00:00Z",
    )
    assert "resident" in clean_errors(invitation)


def test_an_invitation_cannot_hand_someone_elses_record_to_a_new_account(two_programs):
    """A director inviting their own second address to the mentor's faculty record would
    read the mentor's private notes once it is accepted."""
    with pytest.raises(ValidationError):
        invitation_create(
            program=two_programs.program,
            email="director.second.address@example.org",
            role=Role.Kind.FACULTY,
            faculty=two_programs.faculty,
            by=two_programs.director,
        )


def test_accepting_does_not_take_a_record_linked_to_someone_else_meanwhile(two_programs):
    faculty = FacultyFactory(program=two_programs.program)
    invitation = invitation_create(
        program=two_programs.program,
        email="new.mentor@example.org",
        role=Role.Kind.FACULTY,
        faculty=faculty,
        by=two_programs.director,
    )
    RoleFactory(user=two_programs.chief, program=two_programs.program, kind=Role.Kind.FACULTY)
    faculty.user = two_programs.chief
    faculty.save(update_fields=["user"])
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, name="New", password="a-long-pass-phrase")
    faculty.refresh_from_db()
    assert faculty.user == two_programs.chief


def test_the_import_never_links_a_requirement_to_another_programs_rows(two_programs, beta_rotation):
    track = TrackFactory(program=two_programs.program, code="PC")
    data = {"requirements": [{"tracks": ["PC"], "pgy": [1], "rotations": ["BICU"], "min_weeks": 1}]}
    with pytest.raises(ValidationError):
        import_requirements(
            program=two_programs.program,
            data=data,
            tracks={"PC": track},
            rotations={"BICU": beta_rotation},
            summary=ImportSummary(slug="alpha", dry_run=False),
        )


# --- the admin ----------------------------------------------------------------------------


def _requirement_post(requirement, **changes):
    data = {
        "program": requirement.program_id,
        "pgy_levels": "[1]",
        "min_weeks": "2",
        "max_weeks": "",
        "position": "0",
        "rotations": [rotation.pk for rotation in requirement.rotations.all()],
        "tracks": [],
    }
    data.update(changes)
    return data


def test_the_admin_refuses_a_requirement_with_another_programs_rotation(
    operator_client, requirement, beta_rotation
):
    url = reverse("admin:programs_requirement_change", args=[requirement.pk])
    rotations = [*requirement.rotations.values_list("pk", flat=True), beta_rotation.pk]
    response = operator_client.post(url, _requirement_post(requirement, rotations=rotations))
    assert response.status_code == 200  # the form again, with the error
    assert set(response.context["adminform"].form.errors) == {"rotations"}
    assert beta_rotation not in requirement.rotations.all()


def test_the_admin_refuses_a_new_requirement_mixing_programs(
    operator_client, two_programs, beta_rotation
):
    beta_track = two_programs.other_resident.track
    data = {
        "program": two_programs.program.pk,
        "pgy_levels": "[1]",
        "min_weeks": "2",
        "position": "0",
        "rotations": [beta_rotation.pk],
        "tracks": [beta_track.pk],
    }
    response = operator_client.post(reverse("admin:programs_requirement_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"rotations", "tracks"} <= set(form.errors)
    assert not Requirement.objects.filter(rotations=beta_rotation).exists()


def test_a_requirements_page_offers_its_programs_rows_only(
    operator_client, two_programs, requirement, beta_rotation
):
    url = reverse("admin:programs_requirement_change", args=[requirement.pk])
    fields = operator_client.get(url).context["adminform"].form.fields
    assert set(fields["rotations"].queryset) == set(two_programs.program.rotations.all())
    assert set(fields["tracks"].queryset) == set(two_programs.program.tracks.all())
    assert list(fields["program"].queryset) == [two_programs.program]


def test_a_residents_page_offers_its_programs_tracks_and_people(operator_client, two_programs):
    url = reverse("admin:programs_resident_change", args=[two_programs.resident.pk])
    fields = operator_client.get(url).context["adminform"].form.fields
    assert set(fields["track"].queryset) == set(two_programs.program.tracks.all())
    people = set(fields["user"].queryset)
    assert two_programs.resident_user in people
    assert two_programs.other_resident_user not in people


def test_the_admin_refuses_to_link_an_outsiders_account(operator_client, two_programs):
    faculty = two_programs.faculty
    url = reverse("admin:programs_faculty_change", args=[faculty.pk])
    data = {
        "program": faculty.program_id,
        "external_id": faculty.external_id,
        "name": faculty.name,
        "email": faculty.email,
        "user": two_programs.other_director.pk,
        "mentor_capacity": "3",
        "interests": '["medical education"]',
        "mentor_status": "active",
    }
    response = operator_client.post(url, data)
    assert set(response.context["adminform"].form.errors) == {"user"}
    faculty.refresh_from_db()
    assert faculty.user == two_programs.faculty_user


def test_a_role_cannot_be_moved_to_another_program(operator_client, two_programs):
    role = Role.objects.get(user=two_programs.director, program=two_programs.program)
    url = reverse("admin:programs_role_change", args=[role.pk])
    fields = operator_client.get(url).context["adminform"].form.fields
    assert list(fields["program"].queryset) == [two_programs.program]
    data = {"user": role.user_id, "program": two_programs.other_program.pk, "kind": "director"}
    response = operator_client.post(url, data)
    assert set(response.context["adminform"].form.errors) == {"program"}
    role.refresh_from_db()
    assert role.program == two_programs.program


def test_an_invitation_cannot_be_moved_or_re_aimed(operator_client, two_programs):
    """The e-mail already went out: "join Alpha as resident". Send a new one instead."""
    invitation = invitation_create(
        program=two_programs.program,
        email="newcomer@example.org",
        role=Role.Kind.RESIDENT,
        by=two_programs.director,
    )
    url = reverse("admin:accounts_invitation_change", args=[invitation.pk])
    form = operator_client.get(url).context["adminform"].form
    assert not {"program", "role", "email", "resident", "faculty"} & set(form.fields)
    assert operator_client.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_a_user_of_another_program_is_no_choice_for_a_faculty_record(operator_client, db):
    outsider = UserFactory()
    faculty = FacultyFactory()
    url = reverse("admin:programs_faculty_change", args=[faculty.pk])
    fields = operator_client.get(url).context["adminform"].form.fields
    assert outsider not in set(fields["user"].queryset)
