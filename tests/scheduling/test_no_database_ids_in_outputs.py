"""Every machine output names residents and faculty by the program's ids (T01, F01) and
tracks and rotations by code, never by database row: the rows are pushed to far-off,
recognisable primary keys (8100xx residents, 8200xx faculty, 8300xx rotations, 8400xx
tracks, 8500xx versions) and no output may contain one of them."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.urls import reverse

from api.services import access_token_create
from compliance.services import compliance_run_create
from programs.models import Faculty, Program, Resident, Rotation, Track
from scheduling.exports import FORMATS, export_version
from scheduling.models import ScheduleVersion
from scheduling.services.versions import version_publish
from tests.factories import FacultyFactory, ProgramFactory, ResidentFactory, TrackFactory
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.django_db

FAR = {Resident: 810000, Faculty: 820000, Rotation: 830000, Track: 840000}
LEAK = re.compile(rb"(?<![0-9])8[1-4]00[0-9]{2}(?![0-9])")


def _push_primary_keys_far():
    """One throw-away row per model at a far-off key, then the sequences moved past it, so
    the rows the test makes next get keys no real id or date can be mistaken for."""
    program = ProgramFactory(slug="zzz-far")
    track = TrackFactory(program=program, pk=FAR[Track], code="FAR")
    ResidentFactory(program=program, track=track, pk=FAR[Resident], external_id="FAR-R")
    FacultyFactory(program=program, pk=FAR[Faculty], external_id="FAR-F")
    Rotation.objects.create(program=program, pk=FAR[Rotation], code="FAR", name="Far")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(FAR)):
            cursor.execute(sql)


@pytest.fixture
def far(two_programs):
    _push_primary_keys_far()
    built = make_built(two_programs)
    version_publish(version=built.version, by=two_programs.director)
    tiny = Resident.objects.filter(program=built.program, external_id__startswith="T")
    assert tiny.earliest("pk").pk > FAR[Resident]
    assert Faculty.objects.get(program=built.program, external_id="F01").pk > FAR[Faculty]
    assert Rotation.objects.filter(program=built.program).earliest("pk").pk > FAR[Rotation]
    return built


def _assert_no_leak(label: str, output: bytes):
    found = LEAK.findall(output)
    assert not found, f"{label} names database rows: {sorted(set(found))[:5]}"


def _command(*args) -> bytes:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().encode()


def test_the_check_sees_a_leak():
    """The check itself: a database id in an output is found."""
    with pytest.raises(AssertionError):
        _assert_no_leak("a leaky output", b'{"resident_id": 810003}')
    _assert_no_leak("a date and a week", b'{"week": "2027-08-30", "weeks": 52}')


@pytest.mark.parametrize("fmt", FORMATS)
def test_schedule_exports_use_program_ids(far, fmt):
    output = export_version(far.version, fmt)
    _assert_no_leak(f"the {fmt} export", output)
    if fmt in {"json", "csv", "ics"}:
        assert b"T01" in output


def test_xlsx_cells_use_program_ids(far):
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export_version(far.version, "xlsx"))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    _assert_no_leak("the xlsx export", " ".join(cells).encode())
    assert "T01" in cells and {"WARDS", "ICU"} & set(cells)


def test_export_commands_use_program_ids(far):
    year = far.schedule.academic_year.name
    for fmt in FORMATS:
        if fmt != "xlsx":
            output = _command("export_schedule", "alpha", "--year", year, "--format", fmt)
            _assert_no_leak(f"export_schedule --format {fmt}", output)
    _assert_no_leak("export_program", _command("export_program", "alpha"))


def test_compliance_report_json_uses_program_ids(far):
    year = far.schedule.academic_year.name
    output = _command("compliance_report", "alpha", "--year", year, "--json")
    _assert_no_leak("compliance_report --json", output)
    document = json.loads(output)
    assert {r["resident_id"] for r in document["residents"]} >= {"T01", "T02"}


def test_propose_mentors_json_uses_program_ids(far):
    output = _command("propose_mentors", "alpha", "--json", "--all")
    _assert_no_leak("propose_mentors --json", output)
    assert b"F01" in output


def test_the_api_uses_program_ids(client, far, two_programs):
    compliance_run_create(schedule=far.schedule, trigger="manual")
    token = access_token_create(user=two_programs.director, name="t", scope="read").secret
    auth = {"Authorization": f"Bearer {token}"}
    year = far.schedule.academic_year.name
    version = ScheduleVersion.objects.get(schedule=far.schedule, status="published")
    names = {
        "residents": ["alpha"],
        "faculty": ["alpha"],
        "tracks": ["alpha"],
        "rotations": ["alpha"],
        "requirements": ["alpha"],
        "assignments": ["alpha", year, version.number],
        "findings": ["alpha", year],
        "mentorships": ["alpha"],
    }
    for name, args in names.items():
        response = client.get(reverse(f"api:{name}", args=args), headers=auth)
        assert response.status_code == 200, name
        _assert_no_leak(f"GET api:{name}", response.content)
    week = far.schedule.academic_year.start.isoformat()
    on_service = client.get(
        reverse("api:on_service", args=["alpha", year]), {"week": week}, headers=auth
    )
    _assert_no_leak("GET api:on_service", on_service.content)
    assert Program.objects.filter(slug="alpha").exists()
