"""Every programs URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `programs/urls.py` fails `test_every_url_is_covered` until it is listed here,
with its row in `MATRIX`. The rule (programs.access): outsiders get a 404, a member whose
role is too small a 403; a resident sees only their own record (a classmate's is a 403,
like every record the role does not reach).
"""

import pytest
from django.urls import reverse

from programs import urls
from programs.models import AcademicYear, Requirement, Rotation
from tests.factories import ResidentFactory
from tests.support.url_access import (
    is_sign_in_redirect,
    matrix_row,
    status_as,
    statuses_by_role,
)

pytestmark = pytest.mark.django_db


def _rotation(c):
    return Rotation.objects.get_or_create(
        program=c.program, code="ICU", defaults={"name": "ICU", "setting": "critical_care"}
    )[0]


def _requirement(c):
    requirement = Requirement.objects.filter(program=c.program).first()
    if requirement is None:
        requirement = Requirement.objects.create(program=c.program, pgy_levels=[1], min_weeks=1)
        requirement.rotations.set([_rotation(c)])
    return requirement


def _year(c):
    return AcademicYear.objects.get_or_create(
        program=c.program, name="2027-2028", defaults={"start": "2027-06-28"}
    )[0]


# name -> (method, who may use it in the `two_programs` cast, arguments builder)
CASES = {
    "overview": ("get", "director", lambda c: []),
    "roster": ("get", "faculty_user", lambda c: []),
    "resident_detail": ("get", "resident_user", lambda c: [c.resident.pk]),
    "bundle_upload": ("get", "director", lambda c: []),
    # An unknown upload token: the director is sent back to upload again (302).
    "bundle_confirm": ("get", "director", lambda c: ["no-such-upload"]),
    "bundle_download": ("get", "director", lambda c: []),
    "roster_upload": ("get", "director", lambda c: []),
    "people": ("get", "director", lambda c: []),
    "invite": ("get", "director", lambda c: []),
    "rollover": ("get", "director", lambda c: []),
    "setup_tracks": ("get", "director", lambda c: []),
    "setup_track_new": ("get", "director", lambda c: []),
    "setup_track_edit": ("get", "director", lambda c: ["CAT"]),
    "setup_track_delete": ("get", "director", lambda c: ["CAT"]),
    "setup_rotations": ("get", "director", lambda c: []),
    "setup_rotation_new": ("get", "director", lambda c: []),
    "setup_rotation_edit": ("get", "director", lambda c: [_rotation(c).code]),
    "setup_rotation_delete": ("get", "director", lambda c: [_rotation(c).code]),
    "setup_requirements": ("get", "director", lambda c: []),
    "setup_requirement_new": ("get", "director", lambda c: []),
    "setup_requirement_edit": ("get", "director", lambda c: [_requirement(c).pk]),
    "setup_requirement_delete": ("get", "director", lambda c: [_requirement(c).pk]),
    "setup_years": ("get", "director", lambda c: []),
    "setup_year_new": ("get", "director", lambda c: []),
    "setup_year_edit": ("get", "director", lambda c: [_year(c).name]),
    "setup_year_delete": ("get", "director", lambda c: [_year(c).name]),
    "setup_residents": ("get", "director", lambda c: []),
    "setup_resident_new": ("get", "director", lambda c: []),
    "setup_resident_edit": ("get", "director", lambda c: [c.resident.pk]),
    "setup_resident_deactivate": ("get", "director", lambda c: [c.resident.pk]),
    "setup_faculty": ("get", "director", lambda c: []),
    "setup_faculty_new": ("get", "director", lambda c: []),
    "setup_faculty_edit": ("get", "director", lambda c: [c.faculty.pk]),
    "setup_faculty_deactivate": ("get", "director", lambda c: [c.faculty.pk]),
    "setup_program": ("get", "director", lambda c: []),
    "setup_copy": ("get", "director", lambda c: []),
    "history": ("get", "director", lambda c: []),
}

# URLs whose arguments name one of alpha's rows (not a name any program could have).
KEYED = {
    "resident_detail",
    "setup_requirement_edit",
    "setup_requirement_delete",
    "setup_resident_edit",
    "setup_resident_deactivate",
    "setup_faculty_edit",
    "setup_faculty_deactivate",
}
#: Set-up pages: directors, associate directors and coordinators (Need.MANAGE) only.
SETUP = (200, 403, 403, 403)

# What each role of alpha gets: (director, chief, faculty, resident). A resident's overview
# is their schedule (302); everything that runs the program is for managers only.
MATRIX = {
    "overview": (200, 200, 200, 302),
    "roster": (200, 200, 200, 403),
    "resident_detail": (200, 200, 200, 200),
    "bundle_upload": (200, 403, 403, 403),
    "bundle_confirm": (302, 403, 403, 403),
    "bundle_download": (200, 403, 403, 403),
    "roster_upload": (200, 403, 403, 403),
    "people": (200, 403, 403, 403),
    "invite": (200, 403, 403, 403),
    "rollover": (200, 403, 403, 403),
    **{name: SETUP for name in CASES if name.startswith("setup_") or name == "history"},
}

# Pages that are also forms: the POST, with harmlessly invalid data, per role. Nothing is
# imported, invited or rolled over; managers get the form back with errors (or, for an
# unknown upload token, a redirect to upload again).
POSTS = {
    "bundle without a file": ("bundle_upload", {}, (200, 403, 403, 403)),
    "bundle confirm, unknown upload": ("bundle_confirm", {}, (302, 403, 403, 403)),
    "roster without a file": ("roster_upload", {}, (200, 403, 403, 403)),
    "invite a bad address": ("invite", {"email": "not-an-address"}, (200, 403, 403, 403)),
    "rollover unconfirmed": ("rollover", {"weeks": 52}, (200, 403, 403, 403)),
    # Set-up forms with bad input re-render (200); a refused delete goes back to the list.
    "track, empty": ("setup_track_new", {}, SETUP),
    "track edit, band above 100%": (
        "setup_track_edit",
        {"code": "CAT", "name": "Cat", "ambulatory_min": "50", "ambulatory_max": "150"},
        SETUP,
    ),
    "track delete, in use": ("setup_track_delete", {}, (302, 403, 403, 403)),
    "rotation, empty": ("setup_rotation_new", {}, SETUP),
    "rotation edit, empty": ("setup_rotation_edit", {}, SETUP),
    "requirement, empty": ("setup_requirement_new", {}, SETUP),
    "requirement edit, empty": ("setup_requirement_edit", {}, SETUP),
    "year, not a Monday": (
        "setup_year_new",
        {"name": "2030-2031", "start": "2030-07-02", "weeks": "52"},
        SETUP,
    ),
    "year edit, empty": ("setup_year_edit", {}, SETUP),
    "resident, empty": ("setup_resident_new", {}, SETUP),
    "resident edit, empty": ("setup_resident_edit", {}, SETUP),
    "resident deactivate, unknown status": (
        "setup_resident_deactivate",
        {"status": "active"},
        SETUP,
    ),
    "faculty, empty": ("setup_faculty_new", {}, SETUP),
    "faculty edit, empty": ("setup_faculty_edit", {}, SETUP),
    "copy, empty": ("setup_copy", {}, SETUP),
    "program settings, empty": ("setup_program", {}, SETUP),
}

# URLs about one resident: (director, chief, faculty, resident) asking for a classmate.
ABOUT_A_RESIDENT = {"resident_detail": (200, 200, 200, 403)}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)
    assert {name for name, _, _ in POSTS.values()} | KEYED | set(ABOUT_A_RESIDENT) <= set(CASES)


def _url(name, cast, slug="alpha"):
    return reverse(f"programs:{name}", args=[slug, *CASES[name][2](cast)])


def _call(client, name, cast, slug="alpha"):
    return getattr(client, CASES[name][0])(_url(name, cast, slug))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, two_programs, name):
    client.force_login(getattr(two_programs, CASES[name][1]))
    assert _call(client, name, two_programs).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, two_programs, name):
    client.force_login(two_programs.other_director)
    assert _call(client, name, two_programs).status_code == 404
    if name in KEYED:
        # Alpha's rows under the director's own program's address are not found either.
        assert _call(client, name, two_programs, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, two_programs, name):
    assert is_sign_in_redirect(_call(client, name, two_programs))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, two_programs, name):
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, CASES[name][0], url) == matrix_row(MATRIX[name])


@pytest.mark.parametrize("form", sorted(POSTS))
def test_each_role_posting_the_form_gets_what_the_rules_intend(client, two_programs, form):
    name, data, expected = POSTS[form]
    url = _url(name, two_programs)
    assert statuses_by_role(client, two_programs, "post", url, data) == matrix_row(expected)
    assert status_as(client, two_programs.other_director, "post", url, data) == 404
    client.logout()
    assert is_sign_in_redirect(client.post(url, data))


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_only_the_roster_side_sees_a_classmate(client, two_programs, name):
    classmate = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    url = reverse(f"programs:{name}", args=["alpha", classmate.pk])
    expected = matrix_row(ABOUT_A_RESIDENT[name])
    assert statuses_by_role(client, two_programs, "get", url) == expected


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_another_programs_resident_is_not_found_here(client, two_programs, name):
    url = reverse(f"programs:{name}", args=["alpha", two_programs.other_resident.pk])
    assert statuses_by_role(client, two_programs, "get", url) == matrix_row((404, 404, 404, 404))
