"""What a build means, said the same way by the job, the grid header and build_schedule."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.bundle import bundle_import
from scheduling.models import BuildJob
from scheduling.services import builds
from scheduling.solver.problem import SolveResult
from tests.scheduling.conftest import build, tiny_bundle

YEAR = "2027-2028"


def test_a_successful_build_stores_its_verdict_and_the_grid_shows_it(client, built, two_programs):
    job = BuildJob.objects.get(result_version=built.version)
    assert job.explanation and job.explanation[0].startswith(("Best possible", "Good schedule"))
    client.force_login(two_programs.director)
    page = client.get(reverse("scheduling:grid", args=["alpha", YEAR])).content.decode()
    assert f'id="solver-verdict">{" ".join(job.explanation)}<' in page


def test_a_time_out_without_a_schedule_is_a_failed_build_not_an_infeasible_one(built, monkeypatch):
    def timed_out(problem, options, **kwargs):
        return SolveResult(status="UNKNOWN", explanation=["No schedule found in 7 s."])

    monkeypatch.setattr(builds, "solve", timed_out)
    job = build(built.schedule, time_limit_s=7)
    assert job.status == BuildJob.Status.FAILED
    assert job.error == "No schedule found in 7 s — try a longer limit."
    assert job.result_version is None


@pytest.fixture
def tiny(db):
    bundle_import(data=tiny_bundle(slug="tiny"))


def test_build_schedule_prints_the_verdict_wish_loss_and_fairness(tiny):
    out = io.StringIO()
    call_command("build_schedule", "tiny", "--year", YEAR, "--time-limit", "5", stdout=out)
    text = out.getvalue()
    assert "result             " in text and "schedule" in text
    assert "wish loss" in text and "fairness per class" in text and "CAT PGY-1" in text
    assert "cohorts            The builder chose the cohorts" in text


def test_build_schedule_says_a_time_out_is_a_time_out(tiny, monkeypatch):
    monkeypatch.setattr(
        builds, "solve", lambda problem, options, **kw: SolveResult(status="UNKNOWN")
    )
    with pytest.raises(CommandError, match="No schedule found in 5 s — try a longer limit"):
        call_command(
            "build_schedule", "tiny", "--year", YEAR, "--time-limit", "5", stdout=io.StringIO()
        )


def test_a_build_that_chose_the_cohorts_says_what_its_proof_covers(client, built, two_programs):
    job = BuildJob.objects.get(result_version=built.version)
    assert "The builder chose the cohorts the program left open" in job.explanation[1]
    client.force_login(two_programs.director)
    url = reverse("scheduling:job", args=["alpha", YEAR, job.pk])
    page = client.get(url).content.decode()
    assert f'id="job-cohorts">{job.explanation[1]}<' in page
    assert reverse("scheduling:fairness", args=["alpha", YEAR, built.version.number]) in page
