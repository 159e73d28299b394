"""Writes for schedule builds: queue a solver job, run it, report progress, cancel it.

A build stores its result as a new draft version (`versions.version_store_result`).

Builds never hang (issue 9): while the solver works in a thread, the task's own thread
writes the job's heartbeat and live figures every `BUILD_HEARTBEAT_S` and watches for a
cancel; a job whose heartbeat stops for `BUILD_STALE_AFTER_S` (or that no worker picks up
within `BUILD_QUEUED_STALE_AFTER_S`) is failed, with the reason, by the beat sweep and by
the next build request (`build_jobs_fail_stale`). Every error, storing the result included,
ends the job FAILED with its reason; the database allows one queued or running build per
schedule.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from history.models import Event
from history.services import history_record
from programs.models import AcademicYear
from scheduling.models import (
    BuildJob,
    Schedule,
    ScheduleVersion,
)
from scheduling.selectors import schedule_history_weeks, schedule_problem
from scheduling.services.versions import version_store_result
from scheduling.solver.problem import Problem, SolveOptions, SolveResult
from scheduling.solver.solve import solve
from scheduling.solver.wording import cohorts_sentence, describe

logger = logging.getLogger(__name__)


def schedule_get_or_create(*, year: AcademicYear) -> Schedule:
    schedule, _ = Schedule.objects.get_or_create(
        academic_year=year, defaults={"program_id": year.program_id}
    )
    return schedule


# --- Builds -------------------------------------------------------------------------------

#: Seconds the task waits for the solver to stop after a cancel or a time limit.
STOP_GRACE_S = 10


def build_job_create(
    *,
    schedule: Schedule,
    by,
    time_limit_s: int,
    seed: int = 0,
    base_version: ScheduleVersion | None = None,
    replan: bool = False,
    reason: str = "",
) -> BuildJob:
    """Record a queued build of `schedule` (run it with `build_job_run`, or let
    `build_job_start` hand it to the worker).

    A build of the schedule that stopped answering is failed first, so a dead worker never
    blocks the next build. Raises ValidationError when a live build of the schedule is
    queued or running: the database holds one per schedule, so of two requests racing
    here one gets the job and the other the message.
    """
    build_jobs_fail_stale(schedule=schedule)
    try:
        with transaction.atomic():
            return BuildJob.objects.create(
                schedule=schedule,
                base_version=base_version,
                requested_by=by,
                time_limit_s=time_limit_s,
                seed=seed,
                replan=replan,
                reason=reason,
            )
    except IntegrityError as error:
        if not schedule.build_jobs.filter(status__in=BuildJob.ACTIVE).exists():
            raise
        raise ValidationError(
            "A build of this schedule is already running; wait for it or cancel it."
        ) from error


def build_job_start(
    *,
    schedule: Schedule,
    by,
    time_limit_s: int,
    seed: int = 0,
    base_version: ScheduleVersion | None = None,
    replan: bool = False,
    reason: str = "",
) -> BuildJob:
    """Queue a solver run (`build_job_create`); the Celery task starts once this
    transaction commits. The solver gets at most 600 s, below the task's soft time limit."""
    if time_limit_s < 1 or time_limit_s > 600:
        raise ValidationError({"time_limit_s": "Give the solver between 1 and 600 seconds."})
    job = build_job_create(
        schedule=schedule,
        by=by,
        time_limit_s=time_limit_s,
        seed=seed,
        base_version=base_version,
        replan=replan,
        reason=reason,
    )
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue(job_id))
    return job


#: The cost of each published cell a re-plan changes: above the dearest wish a week can
#: carry (prefer or avoid: weight 4 x request weight 10 = 40, both on one cell 80) plus
#: fairness (6) and continuity (1), so no wish is worth moving someone who need not move.
REPLAN_CHANGE_PENALTY = 100


def schedule_replan(
    *, schedule: Schedule, by, reason: str, time_limit_s: int | None = None
) -> BuildJob:
    """Queue a minimal-change re-plan of the published version (issue 11): a new draft that
    keeps history and pinned cells, honours the approved vacation and leave, and changes as
    few future cells as it can (each change costs `REPLAN_CHANGE_PENALTY`, above any wish).
    Nothing is published: the version page shows the diff first. Returns the queued job."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the schedule is re-planned."})
    base = schedule.published_version
    if base is None:
        raise ValidationError("There is no published version to re-plan; build one first.")
    history = schedule_history_weeks(schedule=schedule)
    if history >= schedule.academic_year.weeks:
        raise ValidationError("The whole year is history; there is nothing left to re-plan.")
    return build_job_start(
        schedule=schedule,
        by=by,
        time_limit_s=time_limit_s or settings.SCHEDULE_BUILD_TIME_LIMIT_S,
        base_version=base,
        replan=True,
        reason=reason,
    )


def history_sentence(*, schedule: Schedule, weeks: int) -> str:
    """What a build during the year did with history, in words ("" when nothing is)."""
    if not weeks:
        return ""
    year = schedule.academic_year
    first = year.week_start(weeks)
    return (
        f"Built weeks {weeks + 1}-{year.weeks} only (from the week of {first:%d %b %Y}): "
        f"weeks 1-{weeks} are history and were kept as published."
    )


def _enqueue(job_id: int) -> None:
    """Send the build to the worker; if the broker cannot take it, fail the job (not the
    request) so that the page says why and the next build can start."""
    from scheduling.tasks import schedule_build

    try:
        schedule_build.delay(job_id)
    except Exception as error:  # kombu's OperationalError, a refused connection, ...
        logger.exception("Build %s could not be queued", job_id)
        BuildJob.objects.filter(pk=job_id, status=BuildJob.Status.QUEUED).update(
            status=BuildJob.Status.FAILED,
            finished_at=timezone.now(),
            error=f"The build could not be queued ({error}); start it again.",
        )


def build_job_cancel(*, job: BuildJob) -> None:
    """Ask a build to stop; the solver keeps the best schedule it has found so far.

    The mark goes to the cache (read by the solver at once) and to the row, which the
    running task reads with each heartbeat: with the embedded broker the worker is another
    process with a cache of its own.
    """
    cache.set(_cancel_key(job.pk), True, timeout=3600)
    BuildJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    BuildJob.objects.filter(pk=job.pk, status=BuildJob.Status.QUEUED).update(
        status=BuildJob.Status.CANCELLED, finished_at=timezone.now()
    )


def build_jobs_fail_stale(*, schedule: Schedule | None = None) -> int:
    """Fail the running builds that stopped answering and the queued ones no worker took.

    A running build's task beats every `BUILD_HEARTBEAT_S`; no beat for
    `BUILD_STALE_AFTER_S` means its task is gone (the worker was killed, restarted or ran
    out of memory, or the task hit its hard time limit). A queued build that no worker
    started within `BUILD_QUEUED_STALE_AFTER_S` was lost on its way. Each is marked FAILED
    with a reason the job page shows. Returns how many were failed.
    """
    now = timezone.now()
    stale_after = settings.BUILD_STALE_AFTER_S
    queued_after = settings.BUILD_QUEUED_STALE_AFTER_S
    jobs = BuildJob.objects.all() if schedule is None else schedule.build_jobs.all()
    silent = jobs.alias(last_sign=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        status=BuildJob.Status.RUNNING, last_sign__lt=now - datetime.timedelta(seconds=stale_after)
    )
    failed = silent.update(
        status=BuildJob.Status.FAILED,
        finished_at=now,
        error=(
            f"The build stopped answering: no heartbeat for {stale_after} s, so its worker is "
            "gone (stopped, restarted or out of memory, or past its time limit). Nothing was "
            "stored; start the build again."
        ),
    )
    lost = jobs.filter(
        status=BuildJob.Status.QUEUED, created_at__lt=now - datetime.timedelta(seconds=queued_after)
    )
    failed += lost.update(
        status=BuildJob.Status.FAILED,
        finished_at=now,
        error=(
            f"No worker started it within {queued_after} s: is the Celery worker running? "
            "Nothing was stored; start the build again."
        ),
    )
    if failed:
        logger.warning("Failed %s build(s) that stopped answering", failed)
    return failed


def _progress_key(job_id: int) -> str:
    return f"build-job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"build-job:{job_id}:cancel"


class _JobReporter:
    """Live progress and cancellation for a running build.

    The solver calls back from its own threads; they must not touch the database (a second
    connection would wait on the build's own row), so progress goes to the cache (Redis
    when configured), where the progress page reads it, and to `latest`, which the task's
    thread writes to the row with each heartbeat. `stop` is set by that thread when the
    build is cancelled, failed by the sweep or out of time.
    """

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stop = threading.Event()
        self.latest: dict | None = None
        self.started = time.monotonic()

    def figures(self) -> dict:
        """The latest figures, with the wall time so far (the page's progress bar)."""
        return {**(self.latest or {}), "elapsed_s": round(time.monotonic() - self.started, 1)}

    def progress(self, solutions: int, objective: float | None, elapsed: float) -> None:
        self.latest = {
            "solutions_found": solutions,
            "current_objective": objective,
            "elapsed_s": elapsed,
        }
        cache.set(_progress_key(self.job_id), self.latest, timeout=3600)

    def should_stop(self) -> bool:
        return self.stop.is_set() or bool(cache.get(_cancel_key(self.job_id)))


def build_job_live(job: BuildJob) -> BuildJob:
    """The job with its live progress figures filled in while it runs: the solver's last
    report from the cache when it is newer than the row's, and the larger elapsed time (the
    heartbeat writes the wall time to the row)."""
    if job.status == BuildJob.Status.RUNNING:
        live = cache.get(_progress_key(job.pk)) or {}
        if live.get("solutions_found", 0) >= job.solutions_found:
            job.solutions_found = live.get("solutions_found", job.solutions_found)
            job.current_objective = live.get("current_objective", job.current_objective)
        job.elapsed_s = max(job.elapsed_s, live.get("elapsed_s", 0.0))
    return job


def build_job_run(*, job_id: int) -> BuildJob:
    """Run a queued build: solve, store the result as a new draft version, record the outcome.

    Idempotent: a job that already finished, or that another live task is running, is
    returned as it is, so a redelivered task does no harm; a running job whose heartbeat
    stopped (its worker died and the message came back: acks_late) is run again. Every
    error, in the solve or while storing its result, ends the job FAILED with the reason.
    """
    now = timezone.now()
    orphaned = Q(
        status=BuildJob.Status.RUNNING,
        heartbeat_at__lt=now - datetime.timedelta(seconds=settings.BUILD_STALE_AFTER_S),
    )
    claimed = (
        BuildJob.objects.filter(pk=job_id)
        .filter(Q(status=BuildJob.Status.QUEUED) | orphaned)
        .update(status=BuildJob.Status.RUNNING, started_at=now, heartbeat_at=now)
    )
    job = BuildJob.objects.select_related("schedule__academic_year", "schedule__program").get(
        pk=job_id
    )
    if not claimed:
        return job
    mine = BuildJob.objects.filter(pk=job_id, status=BuildJob.Status.RUNNING, started_at=now)
    try:
        _solve_and_store(job, mine)
    except _SupersededError:
        logger.warning("Build %s was failed or taken over meanwhile; outcome dropped", job_id)
    except Exception as error:  # the job must end in a state the page can show
        logger.exception("Build %s failed", job_id)
        mine.update(status=BuildJob.Status.FAILED, error=_reason(error), finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _reason(error: Exception) -> str:
    if isinstance(error, SoftTimeLimitExceeded):
        return "The build ran past the worker's time limit and was stopped; start it again."
    return str(error) or type(error).__name__


class _SupersededError(Exception):
    """The job is no longer this task's (failed by the sweep, or taken over)."""


def _solve_and_store(job: BuildJob, mine) -> None:
    """Solve `job`, store its result and record the outcome on the job, all or nothing.

    The new version and the job's outcome commit together; if the job is no longer this
    task's (`mine` matches nothing) by then, nothing is stored and `_SupersededError` is raised.
    """
    schedule = job.schedule
    # History (issue 11): the weeks before this one of a published schedule are given to
    # the solver as fixed cells, a build from scratch included; it builds the rest.
    history = schedule_history_weeks(schedule=schedule)
    if history >= schedule.academic_year.weeks:
        raise ValidationError("The whole year is history; there is nothing left to build.")
    problem = schedule_problem(
        schedule=schedule,
        base_version=job.base_version,
        freeze_before_week=history or None,
        history_version=schedule.published_version if history else None,
    )
    options = SolveOptions(time_limit_s=job.time_limit_s, seed=job.seed)
    if job.replan:
        options = SolveOptions(
            time_limit_s=job.time_limit_s,
            seed=job.seed,
            change_penalty=REPLAN_CHANGE_PENALTY,
            minimal_change=True,
        )
    result = _solve_beating(job, mine, problem, options)
    said = history_sentence(schedule=schedule, weeks=history)
    fields = {
        "elapsed_s": result.total_time_s,
        "solutions_found": result.solutions_found,
        "current_objective": result.objective,
        "explanation": result.explanation,
        "history_weeks": history,
    }
    if result.has_schedule:
        fields["status"] = (
            BuildJob.Status.CANCELLED if result.status == "CANCELLED" else BuildJob.Status.SUCCEEDED
        )
        # What the result means in words, and whether optimality covers the chosen cohorts.
        fields["explanation"] = [describe(result, job.time_limit_s)]
        # During the year, which weeks were kept as history; when the builder chose the
        # cohorts, what its proof covers.
        fields["explanation"] += [s for s in (said, cohorts_sentence(result)) if s]
    elif result.status == "CANCELLED":
        fields["status"] = BuildJob.Status.CANCELLED
    elif result.status == "INFEASIBLE":  # proven: the explanation names the rules
        fields["status"] = BuildJob.Status.INFEASIBLE
    else:  # a time-out (UNKNOWN) or an unusable template: no proof the rules conflict
        fields["status"] = BuildJob.Status.FAILED
        detail = [] if result.status == "UNKNOWN" else result.explanation
        fields["error"] = " ".join([describe(result, job.time_limit_s), *detail])
    with transaction.atomic():
        if result.has_schedule:
            fields["result_version"] = version_store_result(
                schedule=schedule,
                problem=problem,
                result=result,
                by=job.requested_by,
                source=(
                    ScheduleVersion.Source.REPLAN
                    if job.replan
                    else ScheduleVersion.Source.RESOLVE
                    if job.base_version_id
                    else ScheduleVersion.Source.SOLVER
                ),
                parent=job.base_version,
                seed=job.seed,
            )
            _record_build(job, fields["result_version"], history, said)
        if not mine.update(finished_at=timezone.now(), **fields):
            raise _SupersededError(job.pk)


def _record_build(job: BuildJob, version: ScheduleVersion, history: int, said: str) -> None:
    """The build's history event: what it built from, which weeks, and why (a re-plan)."""
    replan = job.replan
    history_record(
        program=job.schedule.program,
        kind=Event.Kind.REPLAN if replan else Event.Kind.BUILD,
        subject=(
            f"v{version.number} re-planned from v{job.base_version.number}"
            if replan and job.base_version
            else f"v{version.number} built"
            + (f" from v{job.base_version.number}" if job.base_version else " from scratch")
        ),
        by=job.requested_by,
        version=version,
        before={"version": job.base_version.number} if job.base_version else None,
        after={
            "version": version.number,
            "job": job.pk,
            "weeks_built": [history + 1, job.schedule.academic_year.weeks],
            "history_weeks": history,
            "note": said,
        },
        reason=job.reason,
    )


def _solve_beating(job: BuildJob, mine, problem: Problem, options: SolveOptions) -> SolveResult:
    """Solve in a thread of its own while this thread, the task's, keeps the job alive.

    Every `BUILD_HEARTBEAT_S` this thread writes the heartbeat and the latest figures to the
    job's row and reads its cancel mark; the solver's threads never touch the database. An
    exception here (the soft time limit) stops the solver before it is raised again.
    """
    reporter = _JobReporter(job.pk)
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["result"] = solve(
                problem, options, progress=reporter.progress, should_stop=reporter.should_stop
            )
        except BaseException as error:
            outcome["error"] = error

    solver = threading.Thread(target=work, name=f"build-{job.pk}-solver", daemon=True)
    solver.start()
    try:
        while solver.is_alive():
            solver.join(settings.BUILD_HEARTBEAT_S)
            if solver.is_alive() and not _beat(job, mine, reporter):
                reporter.stop.set()
    except BaseException:
        reporter.stop.set()
        solver.join(STOP_GRACE_S)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _beat(job: BuildJob, mine, reporter: _JobReporter) -> bool:
    """Write the heartbeat and live figures; stop the solver on a cancel. Returns False when
    the job is no longer this task's (nobody waits for its result any more)."""
    try:
        if not mine.update(heartbeat_at=timezone.now(), **reporter.figures()):
            return False
        if BuildJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
            reporter.stop.set()
    except DatabaseError:  # a blip: the next beat tries again, the sweep judges a long one
        logger.warning("Build %s could not write its heartbeat", job.pk, exc_info=True)
    return True
