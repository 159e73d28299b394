"""Celery tasks for compliance: thin interfaces that take ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from compliance.services import compliance_recompute_if_dirty, compliance_sweep


@shared_task(
    name="compliance.tasks.compliance_recompute",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def compliance_recompute(schedule_id: int, trigger: str = "edit") -> int | None:
    """Recompute a schedule's compliance if it is still marked dirty; returns the run's id."""
    run = compliance_recompute_if_dirty(schedule_id=schedule_id, trigger=trigger)
    return run.pk if run else None


@shared_task(
    name="compliance.tasks.compliance_nightly_sweep",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
)
def compliance_nightly_sweep() -> int:
    """Evaluate every schedule of every program; returns how many runs were stored."""
    return compliance_sweep()
