"""`manage.py compliance_report SLUG --year NAME [--json] [--as-of DAY]`."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.models import ComplianceRun
from programs.bundle.generator import generate_bundle
from programs.bundle.importer import bundle_import
from programs.models import Program, Resident
from scheduling.models import Assignment, BuildJob
from scheduling.services import builds
from tests.support.compliance_world import build_world


def report(*args) -> str:
    out = StringIO()
    call_command("compliance_report", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_text_report_with_findings_and_figures(db):
    build_world(residents=5)
    text = report("alpha", "--year", "2027-2028", "--as-of", "2027-09-06")
    assert text.startswith("Compliance report — Alpha IM\nAs of 2027-09-06, 2027-2028\n")
    assert "staffing_min" in text and "A001 Resident 001" in text
    assert "Residency figures" in text


def test_it_prints_json_with_the_same_findings_and_figures(db):
    build_world(residents=5)
    data = json.loads(report("alpha", "--year", "2027-2028", "--json", "--as-of", "2027-09-06"))
    assert data["format"] == "residency-compliance/1"
    assert data["academic_year"] == "2027-2028" and data["as_of"] == "2027-09-06"
    assert len(data["residents"]) == 5
    assert sum(data["counts"].values()) == len(data["findings"])
    assert {limit["id"] for limit in data["limits"] if limit["verify"]} >= {
        "continuity_clinic_min_sessions"
    }


def test_it_stores_nothing(db):
    build_world(residents=3)
    report("alpha", "--year", "2027-2028")
    assert not ComplianceRun.objects.exists()


def test_it_refuses_an_unknown_program(db):
    with pytest.raises(CommandError, match="No program with the slug 'nope'"):
        report("nope", "--year", "2027-2028")


def test_it_refuses_an_unknown_year_and_names_the_known_ones(db):
    build_world(residents=2)
    with pytest.raises(CommandError, match=r"No academic year '1999-2000'.*2027-2028"):
        report("alpha", "--year", "1999-2000")


def test_it_refuses_a_bad_as_of_date(db):
    build_world(residents=2)
    with pytest.raises(CommandError, match="--as-of"):
        report("alpha", "--year", "2027-2028", "--as-of", "next week")


def independent_ambulatory_share(program: Program) -> dict[str, float]:
    """The spec, computed again from the stored weeks: ambulatory weeks / scheduled weeks that
    are neither vacation nor leave (a leave week has no assignment row at all)."""
    ambulatory, countable = Counter(), Counter()
    for external_id, setting in Assignment.objects.filter(
        version__schedule__program=program
    ).values_list("resident__external_id", "rotation__setting"):
        if setting == "vacation":
            continue
        countable[external_id] += 1
        if setting == "ambulatory":
            ambulatory[external_id] += 1
    return {rid: ambulatory[rid] / countable[rid] for rid in countable}


def test_its_json_agrees_resident_by_resident_with_an_independent_ambulatory_share(db):
    bundle = generate_bundle(residents=40, seed=11, slug="gen-im")
    bundle_import(data=bundle)
    program = Program.objects.get(slug="gen-im")
    year = program.academic_years.get()
    schedule = builds.schedule_get_or_create(year=year)
    # A generous limit: the solver stops at the optimum; a loaded CI machine must not flake.
    job = BuildJob.objects.create(schedule=schedule, time_limit_s=60, seed=3)
    job = builds.build_job_run(job_id=job.pk)
    assert job.status == BuildJob.Status.SUCCEEDED, job.explanation

    data = json.loads(report("gen-im", "--year", year.name, "--json"))
    expected = independent_ambulatory_share(program)
    assert len(data["residents"]) == Resident.objects.filter(program=program).count() == 40
    for resident in data["residents"]:
        (only_year,) = resident["years"]
        share = expected[resident["resident_id"]]
        assert only_year["figures"]["ambulatory_share"] == round(share, 4), resident["name"]
        assert resident["cumulative"]["ambulatory_share"] == round(share, 4)
    # A track band finding, if any, quotes the same share.
    for finding in data["findings"]:
        if finding["rule_id"] == "track_band":
            assert finding["figure"] == round(expected[finding["resident_id"]], 4)
