"""Failure drill on the real services (issue 9): the broker connections drop while a
compliance recompute is under way. Nothing may be lost: the recompute happens.

The drill kills, with `CLIENT KILL`, every connection to this run's Redis database (the
worker's broker and result connections, and this process's), several times over the
recompute's life: while the task is queued, while it waits for the edits to settle, and
while it computes. Connections to other databases of the shared Redis are left alone.
"""

import os
import time

import pytest
import redis

from compliance.models import ComplianceRun
from scheduling.models import Schedule
from scheduling.services import versions
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.integration

DROPS_AT_S = (0.1, 0.5, 1.0, 1.5, 2.5)  # after the edit commits


def drop_connections() -> int:
    """Kill every client connected to this run's Redis database but the one asking."""
    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        db = server.connection_pool.connection_kwargs.get("db", 0)
        me = server.client_id()
        killed = 0
        for client in server.client_list():
            if int(client["db"]) == db and int(client["id"]) != me:
                killed += server.client_kill_filter(_id=client["id"])
        return killed
    finally:
        server.close()


def test_dropping_the_redis_connections_during_a_recompute_loses_nothing(
    celery_worker_process, drill_figure
):
    world = build_world(residents=60, status="draft")
    schedule, version = world.schedules[0], world.versions[0]
    versions.assignment_set(
        version=version, resident=world.residents[0], week=0, rotation=world.rotations["ICU"]
    )
    edited = time.monotonic()
    killed = 0
    for at in DROPS_AT_S:
        time.sleep(max(0.0, edited + at - time.monotonic()))
        killed += drop_connections()
    assert killed >= len(DROPS_AT_S)  # the worker's connections were among them

    def recomputed():
        clean = not Schedule.objects.get(pk=schedule.pk).compliance_dirty
        return clean and ComplianceRun.objects.filter(schedule=schedule).first()

    run = celery_worker_process.wait_for(recomputed, timeout=60, every=0.5)
    stored_s = time.monotonic() - edited
    resident = run.figures["residents"][f"r{world.residents[0].pk}"]
    assert resident["years"][0]["figures"]["critical_care_weeks"] >= 1  # it saw the edit

    # The worker is still connected and serving: the next edit is recomputed too.
    versions.assignment_set(
        version=version, resident=world.residents[1], week=0, rotation=world.rotations["ICU"]
    )
    celery_worker_process.wait_for(
        lambda: (
            ComplianceRun.objects.filter(schedule=schedule).count() >= 2
            and not Schedule.objects.get(pk=schedule.pk).compliance_dirty
        ),
        timeout=60,
        every=0.5,
    )
    next_s = time.monotonic() - edited - stored_s
    drill_figure("redis connections dropped during the recompute", killed, unit="")
    drill_figure("drop redis connections: recompute stored after the edit", stored_s)
    drill_figure("drop redis connections: next edit recomputed in", next_s)
