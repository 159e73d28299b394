"""Celery tasks for mentoring: thin interfaces that take ids and call a service.

The beat task (`CELERY_BEAT_SCHEDULE["mentoring-reminders"]`, daily) fans out one task per
overdue mentorship and one per program; each claims its e-mail with a conditional update,
so every task here is idempotent and safe to run twice (acks_late).
"""

from celery import shared_task
from django.db import OperationalError

from mentoring.selectors import mentorships
from mentoring.services import reminders

_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(
    name="mentoring.tasks.mentoring_send_reminders", soft_time_limit=240, time_limit=300, **_RETRY
)
def mentoring_send_reminders() -> dict:
    """Queue a reminder for each overdue mentorship and a digest for each program with
    mentorships; returns how many of each were queued."""
    mentorship_ids = mentorships.overdue_mentorship_ids()
    program_ids = mentorships.programs_with_mentorships()
    for mentorship_id in mentorship_ids:
        mentoring_remind_mentor.delay(mentorship_id)
    for program_id in program_ids:
        mentoring_send_digest.delay(program_id)
    return {"reminders": len(mentorship_ids), "digests": len(program_ids)}


@shared_task(
    name="mentoring.tasks.mentoring_remind_mentor", soft_time_limit=60, time_limit=90, **_RETRY
)
def mentoring_remind_mentor(mentorship_id: int) -> bool:
    """E-mail the mentor if the mentorship is still overdue and was not reminded this week."""
    return reminders.mentorship_remind(mentorship_id=mentorship_id)


@shared_task(
    name="mentoring.tasks.mentoring_send_digest", soft_time_limit=120, time_limit=150, **_RETRY
)
def mentoring_send_digest(program_id: int) -> bool:
    """E-mail the program's directors their weekly digest, at most once in 7 days."""
    return reminders.program_digest_send(program_id=program_id)


@shared_task(
    name="mentoring.tasks.mentoring_notify_resident", soft_time_limit=60, time_limit=90, **_RETRY
)
def mentoring_notify_resident(meeting_id: int) -> bool:
    """E-mail the resident that a meeting was logged (shared parts only)."""
    return reminders.meeting_notify_resident(meeting_id=meeting_id)
