"""The rules every write path shares (admin forms, services' full_clean, imports), checked on
the models themselves: names hold no control characters."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import InvitationAcceptForm
from tests.factories import (
    FacultyFactory,
    ProgramFactory,
    ResidentFactory,
    RotationFactory,
    TrackFactory,
    UserFactory,
)

CONTROL = ["Ada\x07Lovelace", "Ada\x1b[31m", "Ada\x00", "Ada\tLovelace", "Ada\nLovelace"]


def _refused(obj, field: str) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    return raised.value.message_dict.get(field, [])


@pytest.mark.parametrize("name", CONTROL)
@pytest.mark.parametrize(
    "factory", [ProgramFactory, TrackFactory, RotationFactory, ResidentFactory, FacultyFactory]
)
def test_a_name_with_control_characters_is_refused(db, factory, name):
    obj = factory()
    obj.name = name

    assert _refused(obj, "name") == ["Remove the control characters (tabs, line breaks…)."]


def test_a_persons_own_name_with_control_characters_is_refused(db):
    user = UserFactory()
    user.name = "Mallory\x1b[2J"

    assert _refused(user, "name")


def test_the_invitation_form_refuses_control_characters_in_the_name():
    password = "a-long-pass-phrase"
    form = InvitationAcceptForm(
        {"name": "New\x07Comer", "password1": password, "password2": password},
        email="new@example.org",
    )

    assert not form.is_valid()
    assert "name" in form.errors


def test_ordinary_names_pass(db):
    resident = ResidentFactory(name="Zoë O'Brien-Nguyễn, MD")

    resident.full_clean()
