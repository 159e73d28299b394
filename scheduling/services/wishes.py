"""Writes for "Why didn't I get my wish?": ask about one unmet wish, answer it in a job.

The answer comes from ``solver.whynot.why_not`` (the full model re-solved with the wish made
a rule, from the version's schedule, within a short limit) and is stored in words on the
``WishQuestion``, so the resident and the director read the same answer.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programs.models import Resident
from scheduling.models import ScheduleVersion, WishQuestion
from scheduling.selectors import version_problem, version_rows
from scheduling.solver.problem import SolveOptions
from scheduling.solver.whynot import describe_wish, why_not, wishes_of

logger = logging.getLogger(__name__)

#: the solver's limit for one question, doubled (up to the maximum) each time a question
#: that found no answer in time is asked again; the task's soft limit is well above it
WISH_TIME_LIMIT_S = 15
WISH_MAX_TIME_LIMIT_S = 60


@transaction.atomic
def wish_question_ask(
    *, version: ScheduleVersion, resident: Resident, wish_index: int, by
) -> WishQuestion:
    """Queue the question about ``resident``'s wish ``wish_index`` in ``version`` (the job
    starts once this transaction commits), or return the one already answered or under way.
    A failed question is asked again; one the solver could not answer in time is asked again
    with twice the time limit."""
    problem = version_problem(version=version)
    if not any(r.id == resident.external_id for r in problem.residents):
        raise ValidationError("This resident is not in this version of the schedule.")
    wishes = wishes_of(problem, resident.external_id)
    if not 0 <= wish_index < len(wishes):
        raise ValidationError({"wish_index": "No such wish."})
    question = (
        WishQuestion.objects.select_for_update()
        .filter(version=version, resident=resident, wish_index=wish_index)
        .first()
    )
    limit = WISH_TIME_LIMIT_S
    if question is not None and not question.may_ask_again:
        return question
    if question is None:
        question = WishQuestion(version=version, resident=resident, wish_index=wish_index)
    elif question.status == WishQuestion.Status.ANSWERED:  # not known in time: try longer
        limit = min(WISH_MAX_TIME_LIMIT_S, 2 * question.time_limit_s)
    question.wish_text = describe_wish(wishes[wish_index])[:300]
    question.status, question.possible, question.answer = WishQuestion.Status.QUEUED, None, []
    question.extra_cost, question.finished_at = None, None
    question.asked_by = by if getattr(by, "is_authenticated", False) else None
    question.time_limit_s = limit
    question.full_clean()
    question.save()
    question_id = question.pk
    transaction.on_commit(lambda: _enqueue(question_id))
    return question


def _enqueue(question_id: int) -> None:
    from scheduling.tasks import wish_question_answer

    try:
        wish_question_answer.delay(question_id)
    except Exception as error:  # the broker is down: say so on the page, not with a 500
        logger.exception("Wish question %s could not be queued", question_id)
        WishQuestion.objects.filter(pk=question_id, status=WishQuestion.Status.QUEUED).update(
            status=WishQuestion.Status.FAILED,
            answer=[f"The question could not be queued ({error}); ask again."],
            finished_at=timezone.now(),
        )


def wish_question_answer(*, question_id: int) -> WishQuestion:
    """Run the solver for a queued question and store its answer in words; idempotent (an
    answered question is left alone)."""
    claimed = WishQuestion.objects.filter(
        pk=question_id, status__in=[WishQuestion.Status.QUEUED, WishQuestion.Status.RUNNING]
    ).update(status=WishQuestion.Status.RUNNING)
    question = WishQuestion.objects.select_related("version__schedule", "resident").get(
        pk=question_id
    )
    if not claimed:
        return question
    try:
        version = question.version
        problem = version_problem(version=version)
        options = SolveOptions(
            time_limit_s=question.time_limit_s,
            explain_time_limit_s=question.time_limit_s,
            change_penalty=0,
        )
        answer = why_not(
            problem,
            version_rows(version=version),
            question.resident.external_id,
            question.wish_index,
            options,
        )
    except Exception as error:  # store why, so the page can say it and offer to ask again
        logger.exception("Wish question %s failed", question_id)
        return _store(question, WishQuestion.Status.FAILED, None, [f"The job failed: {error}"])
    return _store(
        question, WishQuestion.Status.ANSWERED, answer.possible, answer.words, answer.extra_cost
    )


@transaction.atomic
def _store(question, status, possible, words, extra_cost=None) -> WishQuestion:
    question.status, question.possible, question.answer = status, possible, list(words)
    question.extra_cost, question.finished_at = extra_cost, timezone.now()
    question.full_clean()
    question.save(update_fields=["status", "possible", "answer", "extra_cost", "finished_at"])
    return question
