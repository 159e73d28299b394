"""The rules every write path shares (admin forms, services' full_clean, imports), checked on
the models themselves: names hold no control characters; what becomes part of a web address
(program slug, academic-year name, track and rotation codes) follows one safe pattern; dates
stay in a sane range."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import InvitationAcceptForm
from tests.factories import (
    AcademicYearFactory,
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


URL_KEY_MESSAGE = (
    "Use letters, digits, '-' or '_' only, starting with a letter or digit: it becomes part "
    "of web addresses (e.g. 2027-2028)."
)


@pytest.mark.parametrize("name", ["2099/2100", "2027?", "2027#1", "AY 2027", "..", "-2027"])
def test_an_academic_year_name_that_would_break_web_addresses_is_refused(db, name):
    year = AcademicYearFactory.build(program=ProgramFactory(), name=name)

    assert _refused(year, "name") == [URL_KEY_MESSAGE]


@pytest.mark.parametrize("name", ["2027-2028", "AY2027", "2027_28"])
def test_ordinary_year_names_pass(db, name):
    AcademicYearFactory.build(program=ProgramFactory(), name=name).full_clean()


@pytest.mark.parametrize(("factory", "code"), [(TrackFactory, "PC/1"), (RotationFactory, "ICU#2")])
def test_track_and_rotation_codes_follow_the_same_pattern(db, factory, code):
    obj = factory()
    obj.code = code

    assert _refused(obj, "code") == [URL_KEY_MESSAGE]


def test_a_program_slug_follows_the_same_pattern(db):
    program = ProgramFactory()
    program.slug = "-alpha"

    assert _refused(program, "slug") == [URL_KEY_MESSAGE]


@pytest.mark.parametrize(
    "start", [datetime.date(9999, 12, 27), datetime.date(1999, 6, 28), datetime.date(2101, 1, 3)]
)
def test_an_academic_year_outside_2000_to_2100_is_refused(db, start):
    year = AcademicYearFactory.build(program=ProgramFactory(), start=start)

    assert _refused(year, "start") == ["Choose a date from 1 Jan 2000 to 31 Dec 2100."]
