"""Celery tasks for scheduling: thin interfaces that take ids and call a service.

Time limits: the solver's own limit (the job's `time_limit_s`) stays below the task's soft
limit, and that below the hard limit (ENGINEERING-NOTES: the C++ search ignores signals).
"""

from celery import shared_task

from scheduling.services import builds


@shared_task(
    name="scheduling.tasks.schedule_build",
    acks_late=True,
    soft_time_limit=11 * 60,
    time_limit=12 * 60,
)
def schedule_build(job_id: int) -> str:
    """Run one queued build (idempotent: a finished or claimed job is left alone)."""
    job = builds.build_job_run(job_id=job_id)
    return job.status
