"""Coalesced recomputes, the nightly sweep and "Recompute now" (Celery eager in tests)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from compliance.models import ComplianceRun, ProgramLimits
from compliance.services import (
    compliance_recompute_if_dirty,
    compliance_recompute_request,
    compliance_sweep,
)
from compliance.tasks import compliance_nightly_sweep, compliance_recompute
from scheduling.models import Schedule, ScheduleVersion
from scheduling.services import versions
from tests.support.compliance_world import build_world


@pytest.fixture
def world(db):
    return build_world(residents=5, status="draft")


def edit(world, week, code="WARDS"):
    versions.assignment_set(
        version=world.versions[0],
        resident=world.residents[0],
        week=week,
        rotation=world.rotations[code],
    )


def test_twenty_quick_edits_enqueue_one_recompute(world, django_capture_on_commit_callbacks):
    with mock.patch.object(compliance_recompute, "delay") as delay:
        for week in range(20):
            with django_capture_on_commit_callbacks(execute=True):
                edit(world, week)
    delay.assert_called_once_with(world.schedules[0].pk, "edit")
    assert Schedule.objects.get(pk=world.schedules[0].pk).compliance_dirty


def test_edits_made_before_the_worker_starts_end_in_one_run(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for week in range(20):
            edit(world, week)
    assert len(queued) == 1
    for task in queued:
        task()
    assert ComplianceRun.objects.filter(schedule=world.schedules[0]).count() == 1
    assert not Schedule.objects.get(pk=world.schedules[0].pk).compliance_dirty


def test_an_edit_after_the_run_claimed_the_mark_queues_exactly_one_more(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(world, 1)  # eager: queued and computed at once
    with django_capture_on_commit_callbacks(execute=False) as queued:
        edit(world, 2)
        edit(world, 3)
    assert len(queued) == 1
    queued[0]()
    assert ComplianceRun.objects.filter(schedule=world.schedules[0]).count() == 2


def test_only_the_task_that_claims_the_mark_computes(world):
    Schedule.objects.filter(pk=world.schedules[0].pk).update(compliance_dirty=True)
    first = compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit")
    second = compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit")
    assert isinstance(first, ComplianceRun)
    assert second is None
    assert ComplianceRun.objects.count() == 1


def test_a_clean_schedule_is_not_recomputed(world):
    assert compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit") is None
    assert compliance_recompute(world.schedules[0].pk, "edit") is None
    assert not ComplianceRun.objects.exists()


def test_a_failed_run_puts_the_mark_back_for_the_retry(world):
    Schedule.objects.filter(pk=world.schedules[0].pk).update(compliance_dirty=True)
    with (
        mock.patch("compliance.services.compliance_run_create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit")
    assert Schedule.objects.get(pk=world.schedules[0].pk).compliance_dirty


def test_recompute_now_queues_a_manual_run_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute_request(schedule=world.schedules[0])
    run = ComplianceRun.objects.get()
    assert run.trigger == ComplianceRun.Trigger.MANUAL
    assert not Schedule.objects.get(pk=world.schedules[0].pk).compliance_dirty


def test_the_sweep_checks_every_built_schedule_of_every_program(db):
    alpha = build_world(residents=4, years=2)
    beta = build_world(residents=3, slug="beta")
    empty = Schedule.objects.create(
        program=beta.program,
        academic_year=beta.program.academic_years.create(
            name="2028-2029", start=beta.years[0].start.replace(year=2028, day=26)
        ),
    )
    assert compliance_sweep() == 3
    runs = ComplianceRun.objects.all()
    assert {r.schedule_id for r in runs} == {s.pk for s in alpha.schedules + beta.schedules}
    assert {r.trigger for r in runs} == {"nightly"}
    assert not runs.filter(schedule=empty).exists()
    assert compliance_nightly_sweep() == 3


def test_the_sweep_goes_on_when_one_program_fails(db):
    build_world(residents=3)
    beta = build_world(residents=3, slug="beta")
    ProgramLimits.objects.create(program=beta.program, overrides={"not_a_limit": 1})
    assert compliance_sweep() == 1


@pytest.fixture
def real_worker_mode():
    """As with a real worker: tasks are not eager (so a countdown would really wait)."""
    conf = compliance_recompute.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    try:
        with mock.patch.object(compliance_recompute, "apply_async") as apply_async:
            yield apply_async
    finally:
        conf.task_always_eager = eager


def test_with_a_worker_an_edit_recompute_waits_for_the_edits_to_settle(world, real_worker_mode):
    Schedule.objects.filter(pk=world.schedules[0].pk).update(compliance_dirty=True)
    ScheduleVersion.objects.filter(pk=world.versions[0].pk).update(updated_at=timezone.now())
    assert compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit") is None
    (args, kwargs) = real_worker_mode.call_args
    assert args == ((world.schedules[0].pk, "edit"),)
    assert 0 < kwargs["countdown"] <= 1
    assert Schedule.objects.get(pk=world.schedules[0].pk).compliance_dirty
    assert not ComplianceRun.objects.exists()


def test_once_the_schedule_is_quiet_the_recompute_runs(world, real_worker_mode):
    Schedule.objects.filter(pk=world.schedules[0].pk).update(compliance_dirty=True)
    quiet = timezone.now() - datetime.timedelta(seconds=2)
    ScheduleVersion.objects.filter(pk=world.versions[0].pk).update(updated_at=quiet)
    run = compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="edit")
    assert isinstance(run, ComplianceRun)
    real_worker_mode.assert_not_called()


def test_a_manual_recompute_never_waits(world, real_worker_mode):
    Schedule.objects.filter(pk=world.schedules[0].pk).update(compliance_dirty=True)
    ScheduleVersion.objects.filter(pk=world.versions[0].pk).update(updated_at=timezone.now())
    run = compliance_recompute_if_dirty(schedule_id=world.schedules[0].pk, trigger="manual")
    assert run.trigger == "manual"
