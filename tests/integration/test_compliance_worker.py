"""Compliance recomputed by a real Celery worker: twenty quick edits, one or two runs."""

import time

import pytest

from compliance.models import ComplianceRun
from scheduling.models import Schedule
from scheduling.services import versions
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.integration


def test_twenty_quick_edits_give_one_or_two_stored_runs(celery_worker_process):
    world = build_world(residents=40, status="draft")
    schedule, version = world.schedules[0], world.versions[0]
    rotations = [world.rotations["WARDS"], world.rotations["ICU"]]
    for week in range(20):  # each edit commits on its own, so each one's on_commit fires
        versions.assignment_set(
            version=version,
            resident=world.residents[week % 7],
            week=week * 2,
            rotation=rotations[week % 2],
        )

    def settled():
        clean = not Schedule.objects.get(pk=schedule.pk).compliance_dirty
        return clean and ComplianceRun.objects.filter(schedule=schedule).exists()

    celery_worker_process.wait_for(settled, timeout=60)
    time.sleep(2)  # a run claimed just before the flag was read would land now
    runs = list(ComplianceRun.objects.filter(schedule=schedule).order_by("created_at"))
    assert 1 <= len(runs) <= 2, celery_worker_process.output()[-3000:]
    latest = runs[-1]
    assert latest.trigger == ComplianceRun.Trigger.EDIT
    assert latest.version_id == version.pk
    assert (
        latest.findings.count()
        == (latest.critical_count + latest.warning_count + latest.info_count)
        > 0
    )
    assert len(latest.figures["residents"]) == 40
    assert "compliance.tasks.compliance_recompute" in celery_worker_process.output()


def test_the_worker_sees_the_last_edit(celery_worker_process):
    world = build_world(residents=6, status="draft")
    schedule, version = world.schedules[0], world.versions[0]
    versions.assignment_set(
        version=version, resident=world.residents[0], week=0, rotation=world.rotations["ICU"]
    )
    run = celery_worker_process.wait_for(
        lambda: ComplianceRun.objects.filter(schedule=schedule).first(), timeout=60
    )
    resident = run.figures["residents"][f"r{world.residents[0].pk}"]
    icu_weeks = resident["years"][0]["figures"]["critical_care_weeks"]
    assert icu_weeks >= 1
