"""`build_schedule` and `export_schedule` on the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from icalendar import Calendar

from programs.bundle import bundle_import
from programs.models import Rotation, StaffingRule
from tests.scheduling.conftest import tiny_bundle


@pytest.fixture
def tiny(db):
    bundle_import(data=tiny_bundle(slug="tiny"))


def test_build_prints_the_solvers_figures_and_publishes(tiny):
    out = io.StringIO()
    call_command(
        "build_schedule",
        "tiny",
        "--year",
        "2027-2028",
        "--time-limit",
        "5",
        "--publish",
        stdout=out,
    )
    text = out.getvalue()
    for label in (
        "status",
        "variables",
        "objective",
        "best bound",
        "gap",
        "first solution",
        "total time",
        "published",
    ):
        assert label in text


def test_build_exits_non_zero_with_the_explanation_when_infeasible(tiny):
    wards = Rotation.objects.get(program__slug="tiny", code="WARDS")
    StaffingRule.objects.filter(rotation=wards).update(min_residents=4, max_residents=4)
    with pytest.raises(CommandError) as error:
        call_command(
            "build_schedule",
            "tiny",
            "--year",
            "2027-2028",
            "--time-limit",
            "5",
            stdout=io.StringIO(),
        )
    assert "WARDS" in str(error.value)


def test_unknown_programs_and_years_are_named(tiny):
    with pytest.raises(CommandError, match="No academic year"):
        call_command("build_schedule", "tiny", "--year", "1999-2000", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no version"):
        call_command("export_schedule", "tiny", "--year", "2027-2028", stdout=io.StringIO())


def test_export_writes_every_format(tiny, tmp_path):
    call_command(
        "build_schedule", "tiny", "--year", "2027-2028", "--time-limit", "5", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("export_schedule", "tiny", "--year", "2027-2028", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["format"] == "residency-schedule/1"
    target = tmp_path / "tiny.ics"
    call_command(
        "export_schedule",
        "tiny",
        "--year",
        "2027-2028",
        "--format",
        "ics",
        "--output",
        str(target),
        "--version-number",
        "1",
        stderr=io.StringIO(),
    )
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    target = tmp_path / "tiny.csv"
    call_command(
        "export_schedule",
        "tiny",
        "--year",
        "2027-2028",
        "--format",
        "csv",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_text().count("\n") == 6
