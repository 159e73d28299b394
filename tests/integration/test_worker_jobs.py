"""The other Celery jobs on a real worker: a solver build on the `solver` queue, and the
mentoring reminders beat job."""

import datetime

import pytest
from django.db import transaction

from mentoring.models import Mentorship
from mentoring.tasks import mentoring_send_reminders
from programs.bundle import bundle_import
from programs.models import Program
from scheduling.models import BuildJob
from scheduling.services import builds
from tests.factories import RoleFactory, UserFactory
from tests.mentoring.factories import MentorshipFactory
from tests.scheduling.conftest import tiny_bundle

pytestmark = pytest.mark.integration


def test_a_build_runs_on_the_worker_and_stores_a_draft(celery_worker_process):
    bundle_import(data=tiny_bundle(slug="worker-im"))
    year = Program.objects.get(slug="worker-im").academic_years.get()
    schedule = builds.schedule_get_or_create(year=year)
    with transaction.atomic():
        job = builds.build_job_start(schedule=schedule, by=UserFactory(), time_limit_s=5)

    def finished():
        job.refresh_from_db()
        return job.is_finished

    celery_worker_process.wait_for(finished, timeout=90)
    assert job.status == BuildJob.Status.SUCCEEDED, job.explanation or job.error
    assert job.result_version.assignments.count() == 50
    assert "scheduling.tasks.schedule_build" in celery_worker_process.output()


def test_the_reminder_job_reminds_overdue_mentors_once(celery_worker_process):
    long_ago = datetime.date.today() - datetime.timedelta(days=200)
    overdue = MentorshipFactory(started_on=long_ago)
    RoleFactory(program=overdue.program, kind="director")
    result = mentoring_send_reminders.delay().get(timeout=60)
    assert result["reminders"] >= 1

    def reminded():
        overdue.refresh_from_db()
        return overdue.last_reminder_sent_at

    first = celery_worker_process.wait_for(reminded, timeout=60)

    def digested():
        overdue.program.refresh_from_db()
        return overdue.program.mentoring_digest_sent_at

    celery_worker_process.wait_for(digested, timeout=60)
    # Run again at once: the claim stops a second reminder within the week.
    mentoring_send_reminders.delay().get(timeout=60)
    celery_worker_process.wait_for(lambda: _reminders_done(celery_worker_process) >= 2, timeout=30)
    overdue.refresh_from_db()
    assert overdue.last_reminder_sent_at == first
    assert Mentorship.objects.filter(pk=overdue.pk).exists()


def _reminders_done(worker) -> int:
    return sum(
        "mentoring.tasks.mentoring_remind_mentor[" in line and "succeeded" in line
        for line in worker.output().splitlines()
    )


def test_a_wish_question_is_answered_by_the_worker(celery_worker_process):
    """Why didn't I get my wish, on the real worker: the build and then the question run
    on the `solver` queue; the answer is stored in words for the resident and the director."""
    from scheduling.models import WishQuestion
    from scheduling.services import wishes
    from tests.scheduling.test_wish_questions import _wishful_bundle

    bundle_import(data=_wishful_bundle(slug="worker-wish"))
    program = Program.objects.get(slug="worker-wish")
    schedule = builds.schedule_get_or_create(year=program.academic_years.get())
    with transaction.atomic():
        job = builds.build_job_start(schedule=schedule, by=UserFactory(), time_limit_s=5)

    def built():
        job.refresh_from_db()
        return job.is_finished

    celery_worker_process.wait_for(built, timeout=90)
    assert job.status == BuildJob.Status.SUCCEEDED, job.explanation or job.error
    resident = program.residents.get(external_id="T01")
    with transaction.atomic():
        question = wishes.wish_question_ask(
            version=job.result_version, resident=resident, wish_index=0, by=UserFactory()
        )
    assert question.status == WishQuestion.Status.QUEUED

    def answered():
        question.refresh_from_db()
        return question.status not in (WishQuestion.Status.QUEUED, WishQuestion.Status.RUNNING)

    celery_worker_process.wait_for(answered, timeout=120)
    assert question.status == WishQuestion.Status.ANSWERED, question.answer
    assert question.possible is False
    words = " ".join(question.answer)
    assert "cannot be granted" in words and "WARDS" in words
    assert "scheduling.tasks.wish_question_answer" in celery_worker_process.output()
