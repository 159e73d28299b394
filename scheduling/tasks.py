"""Celery tasks for scheduling: thin interfaces that take ids and call a service.

Time limits: the solver's own limit (the job's `time_limit_s`) stays below the task's soft
limit, and that below the hard limit (ENGINEERING-NOTES: the C++ search ignores signals).
"""

from celery import shared_task
from django.db import OperationalError

from scheduling import services


@shared_task(
    name="scheduling.tasks.schedule_build",
    acks_late=True,
    soft_time_limit=11 * 60,
    time_limit=12 * 60,
)
def schedule_build(job_id: int) -> str:
    """Run one queued build (idempotent: a finished or claimed job is left alone)."""
    job = services.build_job_run(job_id=job_id)
    return job.status


@shared_task(
    name="scheduling.tasks.compliance_recompute",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def compliance_recompute(schedule_id: int, trigger: str = "edit") -> int | None:
    """Recompute a schedule's compliance if it is still marked dirty; returns the run's id."""
    from scheduling.services_compliance import compliance_recompute_if_dirty

    run = compliance_recompute_if_dirty(schedule_id=schedule_id, trigger=trigger)
    return run.pk if run else None


@shared_task(
    name="scheduling.tasks.compliance_nightly_sweep",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
)
def compliance_nightly_sweep() -> int:
    """Evaluate every schedule of every program; returns how many runs were stored."""
    from scheduling.services_compliance import compliance_sweep

    return compliance_sweep()
