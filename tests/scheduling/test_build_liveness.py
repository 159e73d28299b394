"""Builds never hang: a running build heartbeats, a silent one is failed with its reason,
one build per schedule is a database rule, and every error ends the job in a state the page
can show."""

import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scheduling import tasks
from scheduling.models import BuildJob, ScheduleVersion
from scheduling.services import builds
from scheduling.solver.solve import solve as real_solve
from scheduling.tasks import schedule_build


def _slow_solve(seconds: float, seen: dict):
    """A solver that reports progress, then works for `seconds` unless told to stop."""

    def fake(problem, options, progress=None, should_stop=None):
        progress(3, 42.0, 0.1)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if should_stop():
                seen["stopped_after"] = seconds - (deadline - time.monotonic())
                break
            time.sleep(0.02)
        return real_solve(problem, options, progress=progress, should_stop=should_stop)

    return fake


def _job(schedule, **fields) -> BuildJob:
    return BuildJob.objects.create(schedule=schedule, time_limit_s=5, **fields)


def _ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def test_a_running_build_heartbeats_and_records_its_progress(built, settings, monkeypatch):
    settings.BUILD_HEARTBEAT_S = 0.1
    monkeypatch.setattr(builds, "solve", _slow_solve(1.0, {}))
    job = _job(built.schedule)
    with CaptureQueriesContext(connection) as queries:
        job = builds.build_job_run(job_id=job.pk)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    beats = [sql for sql in updates if "heartbeat_at" in sql]
    assert len(beats) >= 4, beats
    # The live figures reach the database too, so a page in another process can show them.
    assert any('"solutions_found" = 3' in sql for sql in beats)
    assert job.status == BuildJob.Status.SUCCEEDED
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


def test_a_cancel_reaches_the_solver_through_the_database(built, settings, monkeypatch):
    """The worker may be another process with its own cache: the flag in the row is enough."""
    settings.BUILD_HEARTBEAT_S = 0.1
    seen = {}
    monkeypatch.setattr(builds, "solve", _slow_solve(5.0, seen))
    job = _job(built.schedule, cancel_requested=True)  # asked for just as it was claimed
    job = builds.build_job_run(job_id=job.pk)
    assert job.status == BuildJob.Status.CANCELLED
    assert seen["stopped_after"] < 1.5


def test_a_silent_running_build_is_failed_with_the_reason(built, settings):
    settings.BUILD_STALE_AFTER_S = 60
    silent = _job(
        built.schedule, status=BuildJob.Status.RUNNING, started_at=_ago(300), heartbeat_at=_ago(61)
    )
    assert builds.build_jobs_fail_stale() == 1
    silent.refresh_from_db()
    assert silent.status == BuildJob.Status.FAILED
    assert silent.finished_at is not None
    assert "no heartbeat for 60 s" in silent.error
    assert "start the build again" in silent.error.lower()


def test_a_build_that_beat_recently_is_left_alone(built, settings):
    settings.BUILD_STALE_AFTER_S = 60
    alive = _job(
        built.schedule, status=BuildJob.Status.RUNNING, started_at=_ago(300), heartbeat_at=_ago(5)
    )
    assert builds.build_jobs_fail_stale() == 0
    alive.refresh_from_db()
    assert alive.status == BuildJob.Status.RUNNING


def test_a_build_no_worker_picked_up_is_failed_with_the_reason(built, settings):
    settings.BUILD_QUEUED_STALE_AFTER_S = 600
    waiting = _job(built.schedule)
    BuildJob.objects.filter(pk=waiting.pk).update(created_at=_ago(601))
    assert builds.build_jobs_fail_stale() == 1
    waiting.refresh_from_db()
    assert waiting.status == BuildJob.Status.FAILED
    assert "no worker started it" in waiting.error.lower()


def test_a_recently_queued_build_is_left_alone(built, settings):
    settings.BUILD_QUEUED_STALE_AFTER_S = 600
    waiting = _job(built.schedule)
    assert builds.build_jobs_fail_stale() == 0
    waiting.refresh_from_db()
    assert waiting.status == BuildJob.Status.QUEUED


def test_beat_sweeps_stale_builds_every_minute(built, settings):
    entry = next(
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.schedule_builds_fail_stale.name
    )
    assert entry["schedule"] <= 60
    settings.BUILD_STALE_AFTER_S = 60
    _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(120))
    assert tasks.schedule_builds_fail_stale.delay().get() == 1


def test_the_next_build_request_fails_a_stale_build_and_starts(built, settings):
    settings.BUILD_STALE_AFTER_S = 60
    silent = _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(61))
    job = builds.build_job_start(schedule=built.schedule, by=None, time_limit_s=5)
    silent.refresh_from_db()
    assert silent.status == BuildJob.Status.FAILED
    assert job.status == BuildJob.Status.QUEUED


def test_a_build_request_while_one_is_alive_is_refused(built, settings):
    """No check before the insert: the constraint decides (racing requests on PostgreSQL:
    tests/integration/test_build_drills.py)."""
    settings.BUILD_STALE_AFTER_S = 60
    _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(1))
    with pytest.raises(ValidationError, match="already running"):
        builds.build_job_start(schedule=built.schedule, by=None, time_limit_s=5)
    assert BuildJob.objects.filter(schedule=built.schedule).count() == 2


def test_the_database_holds_one_active_build_per_schedule(built):
    _job(built.schedule)
    with pytest.raises(IntegrityError), transaction.atomic():
        _job(built.schedule, status=BuildJob.Status.RUNNING)
    # Finished builds do not count.
    _job(built.schedule, status=BuildJob.Status.FAILED)


def test_an_error_while_storing_the_result_fails_the_job(built, monkeypatch):
    def broken_store(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builds, "version_store_result", broken_store)
    job = builds.build_job_run(job_id=_job(built.schedule).pk)
    assert job.status == BuildJob.Status.FAILED
    assert "disk full" in job.error
    assert job.finished_at is not None
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1


def test_an_error_in_the_solver_fails_the_job_and_the_task_reports_it(built, monkeypatch):
    def broken_solve(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(builds, "solve", broken_solve)
    job = _job(built.schedule)
    assert schedule_build.delay(job.pk).get() == BuildJob.Status.FAILED
    job.refresh_from_db()
    assert "out of memory" in job.error


def test_a_redelivered_task_for_a_failed_job_does_nothing(built):
    job = _job(built.schedule, status=BuildJob.Status.FAILED, error="worker lost")
    assert schedule_build.delay(job.pk).get() == BuildJob.Status.FAILED
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1


def test_a_redelivered_task_takes_over_a_build_whose_worker_is_gone(built, settings):
    settings.BUILD_STALE_AFTER_S = 60
    orphan = _job(
        built.schedule, status=BuildJob.Status.RUNNING, started_at=_ago(90), heartbeat_at=_ago(61)
    )
    assert schedule_build.delay(orphan.pk).get() == BuildJob.Status.SUCCEEDED
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 2


def test_a_redelivered_task_leaves_a_live_build_to_its_worker(built, settings):
    settings.BUILD_STALE_AFTER_S = 60
    live = _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(2))
    assert schedule_build.delay(live.pk).get() == BuildJob.Status.RUNNING
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1


def test_the_build_task_survives_a_lost_worker_and_has_time_limits():
    assert schedule_build.acks_late is True
    assert schedule_build.reject_on_worker_lost is True
    # The solver's own limit (at most 600 s) < the soft limit < the hard limit.
    assert 600 < schedule_build.soft_time_limit < schedule_build.time_limit


def test_a_broker_that_cannot_take_the_build_fails_the_job_not_the_request(
    built, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(schedule_build, "delay", refused)
    with django_capture_on_commit_callbacks(execute=True):
        job = builds.build_job_start(schedule=built.schedule, by=None, time_limit_s=5)
    job.refresh_from_db()
    assert job.status == BuildJob.Status.FAILED
    assert "could not be queued" in job.error and "Connection refused" in job.error


def test_the_build_command_refuses_while_a_build_of_the_schedule_runs(built, settings):
    from django.core.management import CommandError, call_command

    settings.BUILD_STALE_AFTER_S = 60
    _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(1))
    with pytest.raises(CommandError, match="already running"):
        call_command("build_schedule", "alpha", "--year", "2027-2028", "--time-limit", "5")


def test_the_build_command_clears_a_dead_build_first(built, settings):
    from django.core.management import call_command

    settings.BUILD_STALE_AFTER_S = 60
    silent = _job(built.schedule, status=BuildJob.Status.RUNNING, heartbeat_at=_ago(61))
    call_command("build_schedule", "alpha", "--year", "2027-2028", "--time-limit", "5")
    silent.refresh_from_db()
    assert silent.status == BuildJob.Status.FAILED


def test_the_soft_time_limit_stops_the_solver_and_fails_the_job(built, settings, monkeypatch):
    """Celery raises SoftTimeLimitExceeded in the task's thread (the C++ search would not
    notice a signal): that thread stops the solver and the job says why."""
    from celery.exceptions import SoftTimeLimitExceeded

    settings.BUILD_HEARTBEAT_S = 0.1
    seen = {}
    monkeypatch.setattr(builds, "solve", _slow_solve(5.0, seen))

    def out_of_time(*args):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(builds, "_beat", out_of_time)
    job = builds.build_job_run(job_id=_job(built.schedule).pk)
    assert job.status == BuildJob.Status.FAILED
    assert "time limit" in job.error
    assert seen["stopped_after"] < 1.5


def test_the_page_shows_the_newer_of_the_cached_and_the_stored_figures(built):
    """The cache has the solver's last report, the row the heartbeat's wall time."""
    from django.core.cache import cache

    job = _job(built.schedule, status=BuildJob.Status.RUNNING, solutions_found=4, elapsed_s=8.0)
    cache.set(
        builds._progress_key(job.pk),
        {"solutions_found": 5, "current_objective": 12.0, "elapsed_s": 3.0},
    )
    live = builds.build_job_live(BuildJob.objects.get(pk=job.pk))
    assert (live.solutions_found, live.current_objective, live.elapsed_s) == (5, 12.0, 8.0)
