"""Failure drills on the real services (issue 9): the worker is killed in the middle of a
build, and many directors start the same build at once.

A killed worker's job must end FAILED (its heartbeat stops; the sweep says why) or run
again; it must never stay RUNNING, and the next build must start and succeed. Figures are
printed under "failure drill figures" at the end of the run.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from programs.bundle import bundle_import
from programs.demo import demo_bundle
from programs.models import Program, Role
from scheduling.models import BuildJob
from scheduling.services import builds
from scheduling.tasks import schedule_builds_fail_stale
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.integration


def _schedule(residents: int = 48):
    bundle_import(data=demo_bundle(residents=residents))
    program = Program.objects.get()
    year = program.academic_years.order_by("start").first()
    return builds.schedule_get_or_create(year=year)


def _start(schedule, **options) -> BuildJob:
    with transaction.atomic():
        return builds.build_job_start(schedule=schedule, by=None, **options)


def _status(job: BuildJob) -> str:
    return BuildJob.objects.values_list("status", flat=True).get(pk=job.pk)


def test_killing_the_worker_mid_build_fails_the_job_and_the_next_build_succeeds(
    celery_worker_process, settings, drill_figure
):
    worker = celery_worker_process
    settings.BUILD_STALE_AFTER_S = 6  # the worker runs the test settings: the same figure
    schedule = _schedule()
    dying = _start(schedule, time_limit_s=60, seed=1)
    worker.wait_for(lambda: _status(dying) == BuildJob.Status.RUNNING, timeout=30)
    time.sleep(1.0)  # well inside the solve
    killed = time.monotonic()
    worker.kill()

    # While its heartbeat is fresh the dead build still counts as running: refused, no 500.
    with pytest.raises(ValidationError, match="already running"):
        _start(schedule, time_limit_s=20)
    restart_s = worker.start()

    # The beat sweep, run by the new worker as beat would, fails it once it is silent.
    def swept():
        schedule_builds_fail_stale.delay().get(timeout=10)
        return _status(dying) == BuildJob.Status.FAILED

    worker.wait_for(swept, timeout=30, every=1.0)
    failed_s = time.monotonic() - killed
    dying.refresh_from_db()
    assert "no heartbeat for 6 s" in dying.error
    assert dying.result_version is None

    after = _start(schedule, time_limit_s=20, seed=2)
    worker.wait_for(lambda: _status(after) in BuildJob.FINISHED, timeout=60)
    recovered_s = time.monotonic() - killed
    after.refresh_from_db()
    assert after.status == BuildJob.Status.SUCCEEDED, after.error or after.explanation
    assert after.result_version.assignments.exists()
    drill_figure("kill worker mid-build: worker restarted in", restart_s)
    drill_figure("kill worker mid-build: job FAILED (stale sweep) after the kill", failed_s)
    drill_figure("kill worker mid-build: next build SUCCEEDED after the kill", recovered_s)


def test_the_next_build_request_alone_clears_a_dead_build(
    celery_worker_process, settings, drill_figure
):
    """No beat at all: the request that wants to build fails the silent job and starts."""
    worker = celery_worker_process
    settings.BUILD_STALE_AFTER_S = 6
    schedule = _schedule()
    dying = _start(schedule, time_limit_s=60, seed=3)
    worker.wait_for(lambda: _status(dying) == BuildJob.Status.RUNNING, timeout=30)
    time.sleep(1.0)
    killed = time.monotonic()
    worker.kill()
    worker.start()
    while True:
        try:
            after = _start(schedule, time_limit_s=20, seed=4)
            break
        except ValidationError:
            assert time.monotonic() - killed < 30, "the dead build blocked the next one"
            time.sleep(0.5)
    accepted_s = time.monotonic() - killed
    assert _status(dying) == BuildJob.Status.FAILED
    worker.wait_for(lambda: _status(after) in BuildJob.FINISHED, timeout=60)
    assert _status(after) == BuildJob.Status.SUCCEEDED
    drill_figure("kill worker mid-build: next build request accepted after the kill", accepted_s)


def test_concurrent_build_requests_give_one_job_and_no_error(celery_worker_process):
    schedule = _schedule(residents=24)
    program = schedule.program
    url = reverse("scheduling:build", args=[program.slug, schedule.academic_year.name])
    chiefs = []
    for _ in range(8):
        chief = UserFactory()
        RoleFactory(user=chief, program=program, kind=Role.Kind.CHIEF_RESIDENT)
        chiefs.append(chief)
    barrier = threading.Barrier(len(chiefs))
    answers = []

    def request(chief):
        client = Client()
        client.force_login(chief)
        barrier.wait()
        try:
            response = client.post(url, {"mode": "fresh", "time_limit_s": 10, "seed": 0})
            answers.append((response.status_code, response["Location"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(chief,)) for chief in chiefs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == len(chiefs)
    assert {status for status, _ in answers} == {302}
    jobs = BuildJob.objects.filter(schedule=schedule)
    assert jobs.count() == 1
    to_job = [location for _, location in answers if "/jobs/" in location]
    assert len(to_job) == 1  # the others went back to the grid with the message
    job = jobs.get()
    celery_worker_process.wait_for(lambda: _status(job) in BuildJob.FINISHED, timeout=60)
