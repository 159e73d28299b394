"""Building a schedule: the solver's result stored as a draft, or an explanation."""

import json

from programs.bundle import bundle_export
from programs.models import Rotation, StaffingRule
from scheduling.exports import export_version
from scheduling.models import BuildJob, ScheduleVersion
from scheduling.selectors import version_violations
from tests.scheduling.conftest import build
from tests.support.schedule_checker import check_schedule


def test_it_stores_a_draft_with_the_solvers_figures(built):
    version = built.version
    assert version.status == ScheduleVersion.Status.DRAFT
    assert version.solver_status in ("OPTIMAL", "FEASIBLE")
    assert version.variables > 0 and version.wall_time_s > 0
    assert version.resident_rows.count() == 5
    # Five residents x ten weeks, less nothing: nobody is on leave.
    assert version.assignments.count() == 50


def test_the_built_schedule_breaks_no_hard_rule(built):
    assert version_violations(version=built.version) == []


def test_the_independent_checker_passes_the_export(built):
    bundle = bundle_export(program=built.program)
    schedule = json.loads(export_version(built.version, "json"))
    assert check_schedule(bundle, schedule) == []


def test_it_explains_why_a_schedule_cannot_be_built(built):
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    StaffingRule.objects.filter(rotation=wards).update(min_residents=3, max_residents=3)
    job = build(built.schedule)
    assert job.status == BuildJob.Status.INFEASIBLE
    assert job.result_version is None
    assert any("WARDS" in line for line in job.explanation)


def test_running_a_finished_job_again_changes_nothing(built):
    from scheduling.services.builds import build_job_run

    job = BuildJob.objects.get(result_version=built.version)
    again = build_job_run(job_id=job.pk)
    assert again.status == BuildJob.Status.SUCCEEDED
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1


def test_a_cancelled_queued_job_never_runs(built):

    from scheduling.services.builds import build_job_cancel, build_job_run

    job = BuildJob.objects.create(schedule=built.schedule, time_limit_s=5)
    build_job_cancel(job=job)
    job = build_job_run(job_id=job.pk)
    assert job.status == BuildJob.Status.CANCELLED
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1


def test_resolving_keeps_pinned_cells_and_changes_little(built):
    from scheduling.selectors import version_diff

    resident = built.residents[1]
    from scheduling.services.versions import assignment_pin

    cell = built.version.assignments.filter(resident=resident).order_by("week").first()
    assignment_pin(version=built.version, resident=resident, week=cell.week, pinned=True)
    job = build(built.schedule, base_version=built.version)
    assert job.status == BuildJob.Status.SUCCEEDED
    kept = job.result_version.assignments.get(resident=resident, week=cell.week)
    assert kept.rotation_id == cell.rotation_id and kept.pinned
    changes = version_diff(old=built.version, new=job.result_version)
    assert sum(len(weeks) for weeks in changes.values()) <= 5  # of 50 cells
