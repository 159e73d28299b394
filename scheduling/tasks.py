"""Celery tasks for scheduling: thin interfaces that take ids and call a service.

Time limits: the solver's own limit (the job's `time_limit_s`, at most 600 s) stays below the
task's soft limit, and that below the hard limit (ENGINEERING-NOTES: the C++ search ignores
signals; the soft limit reaches the task's thread, which stops the solver).
"""

from celery import shared_task

from scheduling.services import builds, wishes


@shared_task(
    name="scheduling.tasks.schedule_build",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=11 * 60,
    time_limit=12 * 60,
)
def schedule_build(job_id: int) -> str:
    """Run one queued build; returns the job's status.

    Idempotent, so a message that comes back after its worker died (acks_late,
    reject_on_worker_lost) is safe: a finished job, or one another live task runs, is left
    alone; one whose heartbeat stopped is run again.
    """
    job = builds.build_job_run(job_id=job_id)
    return job.status


@shared_task(
    name="scheduling.tasks.schedule_builds_fail_stale",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def schedule_builds_fail_stale() -> int:
    """The beat sweep: fail builds that stopped answering; returns how many."""
    return builds.build_jobs_fail_stale()


@shared_task(
    name="scheduling.tasks.wish_question_answer",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=150,
)
def wish_question_answer(question_id: int) -> str:
    """Answer one "why didn't I get my wish?" question (the solver's own limit is
    ``wishes.WISH_TIME_LIMIT_S`` plus the explanation's, below the soft limit)."""
    return wishes.wish_question_answer(question_id=question_id).status
