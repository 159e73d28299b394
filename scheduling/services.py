"""Writes for schedules: builds, storing solver results, cell edits, pins, publishing.

Every write that changes what a schedule says marks its compliance dirty, which enqueues one
coalesced recompute once the transaction commits (see `compliance_mark_dirty`).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from programs.models import AcademicYear, Resident, Rotation, Track
from scheduling.models import (
    Assignment,
    BuildJob,
    Schedule,
    ScheduleVersion,
    VersionResident,
)
from scheduling.selectors import schedule_current_week, schedule_problem, version_diff
from scheduling.solver.problem import Problem, SolveOptions, SolveResult
from scheduling.solver.solve import solve
from scheduling.solver.wording import describe

logger = logging.getLogger(__name__)


def schedule_get_or_create(*, year: AcademicYear) -> Schedule:
    schedule, _ = Schedule.objects.get_or_create(
        academic_year=year, defaults={"program_id": year.program_id}
    )
    return schedule


def compliance_mark_dirty(*, schedule: Schedule) -> None:
    """Mark the schedule's compliance stale; enqueue a recompute only if it was clean.

    Coalescing (ENGINEERING-NOTES): the conditional update flips the flag once, so fifty
    quick edits enqueue one task; an edit made while that task runs enqueues one more.
    """
    from scheduling.tasks import compliance_recompute

    flipped = Schedule.objects.filter(pk=schedule.pk, compliance_dirty=False).update(
        compliance_dirty=True
    )
    if flipped:
        schedule_id = schedule.pk
        transaction.on_commit(lambda: compliance_recompute.delay(schedule_id, "edit"))


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
            # what the result means in words, with whether optimality covers the chosen cohorts
            fields["explanation"] = [describe(result, job.time_limit_s)]
        elif result.status == "CANCELLED":
            fields["status"] = BuildJob.Status.CANCELLED
        elif result.status == "INFEASIBLE":  # proven: the explanation names the rules
            fields["status"] = BuildJob.Status.INFEASIBLE
        else:  # a time-out (UNKNOWN) or an unusable template: no proof the rules conflict
            fields["status"] = BuildJob.Status.FAILED
            detail = [] if result.status == "UNKNOWN" else result.explanation
            fields["error"] = " ".join([describe(result, job.time_limit_s), *detail])
        BuildJob.objects.filter(pk=job_id).update(**fields)
    job.refresh_from_db()
    return job


def _next_number(schedule: Schedule) -> int:
    current = schedule.versions.aggregate(top=Max("number"))["top"] or 0
    return current + 1


@transaction.atomic
def version_store_result(
    *,
    schedule: Schedule,
    problem: Problem,
    result: SolveResult,
    by,
    source: str = ScheduleVersion.Source.SOLVER,
    parent: ScheduleVersion | None = None,
    seed: int | None = None,
) -> ScheduleVersion:
    """Store a solver result as a new draft version with the solver's figures."""
    program = schedule.program
    version = ScheduleVersion.objects.create(
        schedule=schedule,
        number=_next_number(schedule),
        source=source,
        parent=parent,
        created_by=by,
        solver_status=result.status,
        objective=result.objective,
        best_bound=result.best_bound,
        gap=result.gap,
        first_solution_s=result.time_to_first_s,
        wall_time_s=result.total_time_s,
        variables=result.num_variables,
        seed=seed,
    )
    residents = {
        r.external_id: r
        for r in Resident.objects.filter(program=program, external_id__in=result.assignments)
    }
    tracks = {t.code: t.pk for t in Track.objects.filter(program=program)}
    rotations = dict(Rotation.objects.filter(program=program).values_list("code", "pk"))
    specs = {r.id: r for r in problem.residents}
    pinned = set(problem.fixed)
    members, cells = [], []
    for rid, row in result.assignments.items():
        resident, spec = residents.get(rid), specs.get(rid)
        if resident is None or spec is None:
            continue
        members.append(
            VersionResident(
                version=version,
                resident=resident,
                pgy=spec.pgy,
                track_id=tracks[spec.track],
                cohort=result.cohorts[rid],
            )
        )
        cells.extend(
            Assignment(
                version=version,
                resident=resident,
                week=week,
                rotation_id=rotations[code],
                pinned=(rid, week) in pinned,
            )
            for week, code in enumerate(row)
            if code is not None
        )
    VersionResident.objects.bulk_create(members, batch_size=1000)
    Assignment.objects.bulk_create(cells, batch_size=2000)
    compliance_mark_dirty(schedule=schedule)
    return version


@transaction.atomic
def version_copy(*, version: ScheduleVersion, by) -> ScheduleVersion:
    """A new draft with the same cells as `version`, for hand edits after publishing."""
    schedule = version.schedule
    copy = ScheduleVersion.objects.create(
        schedule=schedule,
        number=_next_number(schedule),
        source=ScheduleVersion.Source.COPY,
        parent=version,
        created_by=by,
    )
    VersionResident.objects.bulk_create(
        VersionResident(
            version=copy, resident_id=m.resident_id, pgy=m.pgy, track_id=m.track_id, cohort=m.cohort
        )
        for m in version.resident_rows.all()
    )
    Assignment.objects.bulk_create(
        (
            Assignment(version=copy, resident_id=a[0], week=a[1], rotation_id=a[2], pinned=a[3])
            for a in version.assignments.values_list("resident_id", "week", "rotation_id", "pinned")
        ),
        batch_size=2000,
    )
    return copy


def _editable(version: ScheduleVersion) -> None:
    """Refuse edits unless the version is a draft in the database (not just in memory)."""
    still_draft = ScheduleVersion.objects.filter(
        pk=version.pk, status=ScheduleVersion.Status.DRAFT
    ).exists()
    if not still_draft:
        raise ValidationError("Published versions are immutable; copy it to a new draft first.")


@transaction.atomic
def assignment_set(
    *, version: ScheduleVersion, resident: Resident, week: int, rotation: Rotation | None
) -> None:
    """Put `resident` on `rotation` in `week` of a draft (None clears the cell)."""
    _editable(version)
    year = version.schedule.academic_year
    if not 0 <= week < year.weeks:
        raise ValidationError({"week": f"Week must be between 1 and {year.weeks}."})
    if not VersionResident.objects.filter(version=version, resident=resident).exists():
        raise ValidationError("That resident is not in this schedule.")
    if rotation is not None and rotation.program_id != version.schedule.program_id:
        raise ValidationError({"rotation": "Unknown rotation."})
    if rotation is None:
        Assignment.objects.filter(version=version, resident=resident, week=week).delete()
    else:
        Assignment.objects.update_or_create(
            version=version, resident=resident, week=week, defaults={"rotation": rotation}
        )
    ScheduleVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    compliance_mark_dirty(schedule=version.schedule)


@transaction.atomic
def assignment_pin(
    *, version: ScheduleVersion, resident: Resident, week: int, pinned: bool
) -> None:
    """Pin a cell so that re-solving keeps it (or unpin it)."""
    _editable(version)
    updated = Assignment.objects.filter(version=version, resident=resident, week=week).update(
        pinned=pinned
    )
    if not updated:
        raise ValidationError("Only a scheduled cell can be pinned.")


@transaction.atomic
def version_publish(*, version: ScheduleVersion, by) -> dict[str, list]:
    """Publish a draft: it becomes immutable and what residents see; the old one is kept.

    Residents whose weeks changed are e-mailed what changed, once the transaction commits.
    Returns the changes per resident external id.
    """
    version = ScheduleVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    schedule = Schedule.objects.select_for_update().get(pk=version.schedule_id)
    previous = schedule.published_version
    changes = version_diff(old=previous, new=version) if previous else {}
    if previous is not None:
        previous.status = ScheduleVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status = ScheduleVersion.Status.PUBLISHED
    version.published_by = by
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_by", "published_at"])
    schedule.published_version = version
    schedule.save(update_fields=["published_version"])
    if changes:
        transaction.on_commit(lambda: _email_changes(schedule, changes))
    compliance_mark_dirty(schedule=schedule)
    return changes


def _email_changes(schedule: Schedule, changes: dict[str, list]) -> None:
    year = schedule.academic_year
    residents = Resident.objects.filter(program=schedule.program, external_id__in=changes)
    messages = []
    for resident in residents:
        lines = [
            f"- week of {year.week_start(week):%a %d %b %Y}: {old or 'leave'} -> {new or 'leave'}"
            for week, old, new in changes[resident.external_id]
        ]
        body = (
            f"Hello {resident.name},\n\nThe {year.name} schedule of {schedule.program.name} was "
            f"published again and {len(lines)} of your weeks changed:\n\n" + "\n".join(lines)
        )
        messages.append((f"Your schedule changed ({year.name})", body, None, [resident.email]))
    send_mass_mail(messages, fail_silently=False)
