"""Every scheduling URL, tried by an insider, an outsider, an anonymous visitor and each role.

A new URL in `scheduling/urls.py` fails `test_every_url_is_covered` until it is listed here,
with its row in `MATRIX`. The rules (programs.access, scheduling.access): outsiders get a
404, a member whose role is too small a 403; the builders' pages (years, grid, builds,
versions, exports) are for managers and chief residents; a resident's schedule is for the
roster side and for that resident (a classmate's is a 403); "my schedule" is a 404 for
someone with no resident record.

The schedule is stored directly (no solver run), so the whole module stays fast.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from programs.models import AcademicYear
from scheduling import urls
from scheduling.models import BuildJob, ScheduleVersion
from tests.support.compliance_world import build_world
from tests.support.url_access import (
    is_sign_in_redirect,
    matrix_row,
    status_as,
    statuses_by_role,
)

pytestmark = pytest.mark.django_db

YEAR = "2027-2028"


@dataclass
class Scheduled:
    cast: object
    version: ScheduleVersion
    job: BuildJob
    classmate: object
    cell: dict


@pytest.fixture
def scheduled(two_programs) -> Scheduled:
    """Alpha's year 2027-2028 with a draft v1 (every resident of the cast on it) and a
    finished build; beta has a year of the same name and nothing in it, so alpha's versions
    and builds asked for under beta's address can only be found by a lookup that leaks."""
    world = build_world(
        program=two_programs.program,
        director=two_programs.director,
        residents=3,
        status=ScheduleVersion.Status.DRAFT,
    )
    (version,) = world.versions
    assert world.years[0].name == YEAR
    job = BuildJob.objects.create(
        schedule=world.schedules[0],
        status=BuildJob.Status.SUCCEEDED,
        result_version=version,
        requested_by=two_programs.chief,
    )
    AcademicYear.objects.create(
        program=two_programs.other_program, name=YEAR, start=world.years[0].start, weeks=52
    )
    classmate = next(r for r in world.residents if r.pk != two_programs.resident.pk)
    cell = {"resident": two_programs.resident.pk, "week": 0}
    return Scheduled(two_programs, version, job, classmate, cell)


# name -> (method, who may use it in the `two_programs` cast, arguments builder)
CASES = {
    "index": ("get", "director", lambda s: []),
    "my_schedule": ("get", "resident_user", lambda s: []),
    "resident_schedule": ("get", "resident_user", lambda s: [s.cast.resident.pk]),
    "grid": ("get", "chief", lambda s: [YEAR]),
    "build": ("post", "chief", lambda s: [YEAR]),
    "job": ("get", "chief", lambda s: [YEAR, s.job.pk]),
    "job_status": ("get", "chief", lambda s: [YEAR, s.job.pk]),
    "job_cancel": ("post", "chief", lambda s: [YEAR, s.job.pk]),
    "compare": ("get", "director", lambda s: [YEAR]),
    "coverage": ("get", "director", lambda s: [YEAR]),
    "cell_edit": ("post", "chief", lambda s: [YEAR, s.version.number]),
    "cell_pin": ("post", "chief", lambda s: [YEAR, s.version.number]),
    "publish": ("post", "director", lambda s: [YEAR, s.version.number]),
    "copy": ("post", "chief", lambda s: [YEAR, s.version.number]),
    "export": ("get", "director", lambda s: [YEAR, s.version.number, "csv"]),
    "on_service": ("get", "faculty_user", lambda s: []),
    "publish_settings": ("get", "director", lambda s: []),
    "version": ("get", "chief", lambda s: [YEAR, s.version.number]),
    "replan": ("post", "chief", lambda s: [YEAR]),
    "submit": ("post", "chief", lambda s: [YEAR, s.version.number]),
    "undo": ("post", "chief", lambda s: [YEAR, s.version.number]),
    "cell_history": ("get", "chief", lambda s: [YEAR, s.version.number]),
    "events_export": ("get", "director", lambda s: [YEAR, s.version.number, "json"]),
    "fairness": ("get", "director", lambda s: [YEAR, s.version.number]),
    "wishes": ("get", "director", lambda s: [YEAR, s.version.number, s.cast.resident.pk]),
    "wish_ask": ("post", "chief", lambda s: [YEAR, s.version.number, s.cast.resident.pk, 0]),
}

# What the POSTs send: the cell's own rotation back (a no-op edit), a pin; the build form
# empty (refused, nothing queued). The rest post nothing.
DATA = {
    "cell_edit": lambda s: s.cell | {"rotation": s.version.assignments.get(**s.cell).rotation.code},
    "cell_pin": lambda s: s.cell | {"pinned": "on"},
    # A director confirms publishing a version that breaks hard rules; nobody else may.
    "publish": lambda s: {"override_reason": "Checked by hand for the access matrix"},
    "cell_history": lambda s: s.cell,
    "replan": lambda s: {"reason": "Leave", "time_limit_s": 5},
}

# URLs whose arguments name one of alpha's rows (a resident, a build, a version number):
# under beta's address they must not be found.
KEYED = {
    "resident_schedule",
    "job",
    "job_status",
    "job_cancel",
    "cell_edit",
    "cell_pin",
    "publish",
    "copy",
    "export",
    "version",
    "submit",
    "undo",
    "cell_history",
    "events_export",
    "fairness",
    "wishes",
    "wish_ask",
}

BUILDERS = (200, 200, 403, 403)  # managers and chief residents; not faculty, not residents
BUILDERS_WRITE = (302, 302, 403, 403)

# What each role of alpha gets: (director, chief, faculty, resident).
MATRIX = {
    "index": BUILDERS,
    # Only a resident has a schedule of their own; the others are told they have none.
    "my_schedule": (404, 404, 404, 200),
    "resident_schedule": (200, 200, 200, 200),
    "grid": BUILDERS,
    "build": BUILDERS_WRITE,
    "job": BUILDERS,
    "job_status": BUILDERS,
    "job_cancel": BUILDERS_WRITE,
    "compare": BUILDERS,
    "coverage": BUILDERS,
    "cell_edit": BUILDERS,
    "cell_pin": BUILDERS,
    # Who publishes is the program's `publish_roles` (default: the directors); chief
    # residents submit for approval instead (issue 11).
    "publish": (302, 403, 403, 403),
    "copy": BUILDERS_WRITE,
    "export": BUILDERS,
    # Every member reads who is on service, from the published schedule.
    "on_service": (200, 200, 200, 200),
    # Who may publish is the program managers' setting.
    "publish_settings": (200, 403, 403, 403),
    "version": BUILDERS,
    "replan": BUILDERS_WRITE,
    "submit": BUILDERS_WRITE,
    "undo": BUILDERS_WRITE,
    "cell_history": BUILDERS,
    "events_export": BUILDERS,
    "fairness": BUILDERS,
    # A resident's wishes: the builders, and the resident for a published version (this one
    # is a draft, so theirs is a 403 too; tests/scheduling/test_wish_questions.py covers it).
    "wishes": BUILDERS,
    "wish_ask": BUILDERS_WRITE,
}

# URLs about one resident: (director, chief, faculty, resident) asking for a classmate.
ABOUT_A_RESIDENT = {"resident_schedule": (200, 200, 200, 403)}
# ... in a version: (director, chief, faculty, resident) about a classmate's wishes.
ABOUT_A_RESIDENT_IN_A_VERSION = {"wishes": (200, 200, 403, 403), "wish_ask": (302, 302, 403, 403)}


def test_every_url_is_covered():
    assert {p.name for p in urls.urlpatterns} == set(CASES) == set(MATRIX)
    assert set(DATA) | KEYED | set(ABOUT_A_RESIDENT) | set(ABOUT_A_RESIDENT_IN_A_VERSION) <= set(
        CASES
    )


def _url(name, scheduled, slug="alpha"):
    return reverse(f"scheduling:{name}", args=[slug, *CASES[name][2](scheduled)])


def _data(name, scheduled):
    return DATA[name](scheduled) if name in DATA else {}


def _call(client, name, scheduled, slug="alpha"):
    url = _url(name, scheduled, slug)
    return getattr(client, CASES[name][0])(url, _data(name, scheduled))


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_insider_may_use_it(client, scheduled, name):
    client.force_login(getattr(scheduled.cast, CASES[name][1]))
    assert _call(client, name, scheduled).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_programs_director_gets_a_404(client, scheduled, name):
    client.force_login(scheduled.cast.other_director)
    assert _call(client, name, scheduled).status_code == 404
    if name in KEYED:
        # Alpha's rows under the director's own program's address are not found either.
        assert _call(client, name, scheduled, slug="beta").status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, scheduled, name):
    assert is_sign_in_redirect(_call(client, name, scheduled))


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[0] == "post"))
def test_writes_refuse_get(client, scheduled, name):
    client.force_login(getattr(scheduled.cast, CASES[name][1]))
    assert client.get(_url(name, scheduled)).status_code == 405


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, scheduled, name):
    method, url, data = CASES[name][0], _url(name, scheduled), _data(name, scheduled)
    got = statuses_by_role(client, scheduled.cast, method, url, data)
    assert got == matrix_row(MATRIX[name])


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_only_the_roster_side_sees_a_classmate(client, scheduled, name):
    url = reverse(f"scheduling:{name}", args=["alpha", scheduled.classmate.pk])
    expected = matrix_row(ABOUT_A_RESIDENT[name])
    assert statuses_by_role(client, scheduled.cast, "get", url) == expected


def test_the_role_matrix_leaves_the_schedule_as_it_was(client, scheduled):
    """Each request of the matrix is rolled back: the next role finds the same draft."""
    url = _url("publish", scheduled)
    data = _data("publish", scheduled)
    assert status_as(client, scheduled.cast.director, "post", url, data) == 302
    scheduled.version.refresh_from_db()
    assert scheduled.version.status == ScheduleVersion.Status.DRAFT


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT_IN_A_VERSION))
def test_only_the_builders_see_a_classmates_wishes(client, scheduled, name):
    args = ["alpha", YEAR, scheduled.version.number, scheduled.classmate.pk]
    args += [0] if name == "wish_ask" else []
    url = reverse(f"scheduling:{name}", args=args)
    expected = matrix_row(ABOUT_A_RESIDENT_IN_A_VERSION[name])
    assert statuses_by_role(client, scheduled.cast, CASES[name][0], url) == expected


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT_IN_A_VERSION))
def test_another_programs_resident_has_no_wishes_here(client, scheduled, name):
    args = ["alpha", YEAR, scheduled.version.number, scheduled.cast.other_resident.pk]
    args += [0] if name == "wish_ask" else []
    url = reverse(f"scheduling:{name}", args=args)
    got = statuses_by_role(client, scheduled.cast, CASES[name][0], url)
    assert got == matrix_row((404, 404, 404, 404))


@pytest.mark.parametrize("name", sorted(ABOUT_A_RESIDENT))
def test_another_programs_resident_is_not_found_here(client, scheduled, name):
    url = reverse(f"scheduling:{name}", args=["alpha", scheduled.cast.other_resident.pk])
    assert statuses_by_role(client, scheduled.cast, "get", url) == matrix_row((404, 404, 404, 404))
