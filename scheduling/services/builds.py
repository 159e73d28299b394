"""Writes for schedule builds: queue a solver job, run it, report progress, cancel it.

A build stores its result as a new draft version (`versions.version_store_result`).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programs.models import AcademicYear
from scheduling.models import (
    BuildJob,
    Schedule,
    ScheduleVersion,
)
from scheduling.selectors import schedule_current_week, schedule_problem
from scheduling.services.versions import version_store_result
from scheduling.solver.problem import SolveOptions
from scheduling.solver.solve import solve

logger = logging.getLogger(__name__)


def schedule_get_or_create(*, year: AcademicYear) -> Schedule:
    schedule, _ = Schedule.objects.get_or_create(
        academic_year=year, defaults={"program_id": year.program_id}
    )
    return schedule


# --- Builds -------------------------------------------------------------------------------


def build_job_start(
    *,
    schedule: Schedule,
    by,
    time_limit_s: int,
    seed: int = 0,
    base_version: ScheduleVersion | None = None,
) -> BuildJob:
    """Queue a solver run; the Celery task starts once this transaction commits."""
    from scheduling.tasks import schedule_build

    if time_limit_s < 1 or time_limit_s > 600:
        raise ValidationError({"time_limit_s": "Give the solver between 1 and 600 seconds."})
    running = schedule.build_jobs.filter(
        status__in=[BuildJob.Status.QUEUED, BuildJob.Status.RUNNING]
    )
    if running.exists():
        raise ValidationError("A build of this schedule is already running.")
    job = BuildJob.objects.create(
        schedule=schedule,
        base_version=base_version,
        requested_by=by,
        time_limit_s=time_limit_s,
        seed=seed,
    )
    transaction.on_commit(lambda: schedule_build.delay(job.pk))
    return job


def build_job_cancel(*, job: BuildJob) -> None:
    """Ask a build to stop; the solver keeps the best schedule it has found so far."""
    cache.set(_cancel_key(job.pk), True, timeout=3600)
    BuildJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    BuildJob.objects.filter(pk=job.pk, status=BuildJob.Status.QUEUED).update(
        status=BuildJob.Status.CANCELLED, finished_at=timezone.now()
    )


def _progress_key(job_id: int) -> str:
    return f"build-job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"build-job:{job_id}:cancel"


class _JobReporter:
    """Live progress and cancellation for a running build, through the cache.

    The solver calls back from its own threads; they must not touch the database (a second
    connection would wait on the build's own row), so progress goes to the cache (Redis
    when configured), where the progress page reads it.
    """

    def __init__(self, job_id: int):
        self.job_id = job_id

    def progress(self, solutions: int, objective: float | None, elapsed: float) -> None:
        cache.set(
            _progress_key(self.job_id),
            {"solutions_found": solutions, "current_objective": objective, "elapsed_s": elapsed},
            timeout=3600,
        )

    def should_stop(self) -> bool:
        return bool(cache.get(_cancel_key(self.job_id)))


def build_job_live(job: BuildJob) -> BuildJob:
    """The job with its live progress figures filled in while it runs."""
    if job.status == BuildJob.Status.RUNNING:
        live = cache.get(_progress_key(job.pk)) or {}
        for field, value in live.items():
            setattr(job, field, value)
    return job


def build_job_run(*, job_id: int) -> BuildJob:
    """Run a queued build: solve, store the result as a new draft version, record the outcome.

    Idempotent: a job that already finished (or was claimed by another worker) is returned
    as it is, so a redelivered task does no harm.
    """
    claimed = BuildJob.objects.filter(pk=job_id, status=BuildJob.Status.QUEUED).update(
        status=BuildJob.Status.RUNNING, started_at=timezone.now()
    )
    job = BuildJob.objects.select_related("schedule__academic_year", "schedule__program").get(
        pk=job_id
    )
    if not claimed:
        return job
    cache.delete(_cancel_key(job_id))
    schedule = job.schedule
    try:
        freeze = None
        if job.base_version_id and schedule.published_version_id:
            freeze = schedule_current_week(year=schedule.academic_year)
        problem = schedule_problem(
            schedule=schedule, base_version=job.base_version, freeze_before_week=freeze
        )
        reporter = _JobReporter(job.pk)
        result = solve(
            problem,
            SolveOptions(time_limit_s=job.time_limit_s, seed=job.seed),
            progress=reporter.progress,
            should_stop=reporter.should_stop,
        )
    except Exception as error:  # the job must end in a state the page can show
        logger.exception("Build %s failed", job_id)
        BuildJob.objects.filter(pk=job_id).update(
            status=BuildJob.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        fields = {
            "finished_at": timezone.now(),
            "elapsed_s": result.total_time_s,
            "solutions_found": result.solutions_found,
            "current_objective": result.objective,
            "explanation": result.explanation,
        }
        if result.has_schedule:
            version = version_store_result(
                schedule=schedule,
                problem=problem,
                result=result,
                by=job.requested_by,
                source=(
                    ScheduleVersion.Source.RESOLVE
                    if job.base_version_id
                    else ScheduleVersion.Source.SOLVER
                ),
                parent=job.base_version,
                seed=job.seed,
            )
            fields["result_version"] = version
            fields["status"] = (
                BuildJob.Status.CANCELLED
                if result.status == "CANCELLED"
                else BuildJob.Status.SUCCEEDED
            )
        elif result.status == "CANCELLED":
            fields["status"] = BuildJob.Status.CANCELLED
        else:
            fields["status"] = BuildJob.Status.INFEASIBLE
        BuildJob.objects.filter(pk=job_id).update(**fields)
    job.refresh_from_db()
    return job
