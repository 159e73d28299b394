"""Fixtures shared by the whole suite.

`two_programs` gives the standard access-test cast: a program with a director, a chief, a
faculty member and a resident, and a second program with its own director and resident, so
that every view can be tried by an insider, an outsider and an anonymous visitor.

`operator` is a site operator (a superuser with TOTP set up) and `operator_client` a client
signed in as them through the two-factor step: the only way into the Django admin.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from programs.models import Role
from tests.factories import (
    FacultyFactory,
    ProgramFactory,
    ResidentFactory,
    RoleFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.mfa import give_totp, sign_in_with_mfa

SHARED_DEMO = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "demo-program.json"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (build progress and cancel marks live there)."""
    from django.core.cache import cache

    cache.clear()
    yield


@dataclass
class Cast:
    program: object
    director: object
    chief: object
    faculty_user: object
    faculty: object
    resident_user: object
    resident: object
    other_program: object
    other_director: object
    other_resident_user: object
    other_resident: object


def _member(program, kind):
    user = UserFactory()
    RoleFactory(user=user, program=program, kind=kind)
    return user


@pytest.fixture
def two_programs(db) -> Cast:
    program = ProgramFactory(slug="alpha", name="Alpha IM")
    other = ProgramFactory(slug="beta", name="Beta IM")
    track = TrackFactory(program=program, code="CAT", name="Categorical")
    other_track = TrackFactory(program=other, code="CAT", name="Categorical")
    director = _member(program, Role.Kind.DIRECTOR)
    chief = _member(program, Role.Kind.CHIEF_RESIDENT)
    faculty_user = _member(program, Role.Kind.FACULTY)
    faculty = FacultyFactory(program=program, user=faculty_user, email=faculty_user.email)
    resident_user = _member(program, Role.Kind.RESIDENT)
    resident = ResidentFactory(
        program=program, track=track, user=resident_user, email=resident_user.email
    )
    other_director = _member(other, Role.Kind.DIRECTOR)
    other_resident_user = _member(other, Role.Kind.RESIDENT)
    other_resident = ResidentFactory(
        program=other, track=other_track, user=other_resident_user, email=other_resident_user.email
    )
    return Cast(
        program=program,
        director=director,
        chief=chief,
        faculty_user=faculty_user,
        faculty=faculty,
        resident_user=resident_user,
        resident=resident,
        other_program=other,
        other_director=other_director,
        other_resident_user=other_resident_user,
        other_resident=other_resident,
    )


OPERATOR_TOTP_SECRET = "OPERATORTOTPSECRETFORTHETESTS234"


@pytest.fixture
def operator(db):
    """A superuser with a TOTP authenticator (secret `OPERATOR_TOTP_SECRET`)."""
    user = UserFactory(email="operator@example.org", is_staff=True, is_superuser=True)
    give_totp(user, OPERATOR_TOTP_SECRET)
    return user


@pytest.fixture
def operator_client(client, operator):
    """`client`, signed in as `operator` with their password and TOTP code."""
    sign_in_with_mfa(client, operator, OPERATOR_TOTP_SECRET)
    return client


@pytest.fixture
def shared_demo_bundle_path() -> Path:
    """The spec's demo bundle, when `../shared` sits beside the clone; skips otherwise."""
    if not SHARED_DEMO.exists():
        pytest.skip("../shared/data/demo-program.json is not beside this clone")
    return SHARED_DEMO
