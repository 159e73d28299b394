"""Every list filters and paginates, a bad filter is a 400 naming it, and each list reads a
fixed number of queries however many rows it returns."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.services import compliance_run_create
from programs.models import Faculty, Requirement, Rotation
from scheduling.models import BuildJob
from tests.api.conftest import AS_OF, YEAR
from tests.factories import FacultyFactory, ResidentFactory
from tests.mentoring.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def _get(client, api, name, args, query=None, who="director"):
    return client.get(reverse(f"api:{name}", args=args), query or {}, headers=api.auth(who))


def test_rotations_filter_by_setting_and_phase(client, api):
    rotation = Rotation.objects.filter(program=api.cast.program).first()
    query = {"setting": rotation.setting, "phase": rotation.phase}
    rows = _get(client, api, "rotations", ["alpha"], query).json()["results"]
    expected = Rotation.objects.filter(program=api.cast.program, **query)
    assert sorted(r["code"] for r in rows) == sorted(expected.values_list("code", flat=True))
    bad = _get(client, api, "rotations", ["alpha"], {"phase": "z"})
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["phase"]


def test_faculty_filter_by_mentor_status(client, api):
    status = api.cast.faculty.mentor_status
    rows = _get(client, api, "faculty", ["alpha"], {"mentor_status": status}).json()["results"]
    expected = Faculty.objects.filter(program=api.cast.program, mentor_status=status)
    assert [r["external_id"] for r in rows] == sorted(
        expected.values_list("external_id", flat=True)
    )
    assert _get(client, api, "faculty", ["alpha"], {"mentor_status": "x"}).status_code == 400


def test_requirements_filter_by_track_and_rotation(client, api):
    requirement = Requirement.objects.filter(program=api.cast.program).first()
    rotation = requirement.rotations.first()
    rows = _get(client, api, "requirements", ["alpha"], {"rotation": rotation.code}).json()
    assert rows["count"] >= 1
    assert all(rotation.code in r["rotations"] for r in rows["results"])
    none = _get(client, api, "requirements", ["alpha"], {"track": "NOPE"}).json()["results"]
    assert all(r["all_tracks"] for r in none)


def _queries(client, api, name, args, who="director") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, api, name, args, who=who)
    assert response.status_code == 200, (name, response.status_code)
    return len(captured)


LISTS = {
    "residents": lambda a: ["alpha"],
    "faculty": lambda a: ["alpha"],
    "rotations": lambda a: ["alpha"],
    "requirements": lambda a: ["alpha"],
    "builds": lambda a: ["alpha", YEAR],
    "compliance_runs": lambda a: ["alpha", YEAR],
    "findings": lambda a: ["alpha", YEAR],
    "mentorships": lambda a: ["alpha"],
    "meetings": lambda a: ["alpha", a.mentorship.pk],
    "assignments": lambda a: ["alpha", YEAR, 1],
}


def _more_of_everything(api):
    """Ten more rows of each kind the lists above return."""
    program = api.cast.program
    schedule = api.world.schedules[0]
    for _ in range(10):
        BuildJob.objects.create(schedule=schedule, status=BuildJob.Status.FAILED)
        FacultyFactory(program=program)
        resident = ResidentFactory(program=program, track=api.cast.resident.track)
        MentorshipFactory(program=program, resident=resident, mentor=api.cast.faculty)
        MeetingFactory(mentorship=api.mentorship, occurred_on=datetime.date(2027, 8, 9))
    compliance_run_create(schedule=schedule, trigger="manual", as_of=AS_OF)


@pytest.mark.parametrize("who", ["director", "faculty_user"])
def test_each_list_reads_a_fixed_number_of_queries(client, api, who):
    names = [n for n in LISTS if who == "director" or n in {"mentorships", "meetings"}]
    _get(client, api, "program_list", [], who=who)  # the token's first use is noted once
    before = {name: _queries(client, api, name, LISTS[name](api), who) for name in names}
    _more_of_everything(api)
    after = {name: _queries(client, api, name, LISTS[name](api), who) for name in names}
    assert after == before
    # Pinned: auth (token, its use, the user's MFA rule) + access + the page's own reads.
    assert max(after.values()) <= 14, after
