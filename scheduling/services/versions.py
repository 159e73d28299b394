"""Writes for schedule versions: storing solver results, cell edits, pins, copies, publishing.

Every write that changes what a schedule says marks its compliance dirty, which enqueues one
coalesced recompute once the transaction commits (see `compliance.services.compliance_mark_dirty`).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from compliance.services import compliance_mark_dirty
from programs.models import Resident, Rotation, Track
from residency.mail import email_queue
from scheduling.models import (
    Assignment,
    Schedule,
    ScheduleVersion,
    VersionResident,
)
from scheduling.selectors import version_diff
from scheduling.solver.problem import Problem, SolveResult

logger = logging.getLogger(__name__)


#: ``expected`` left out: the editor does not say what it saw, so nothing is compared.
UNSEEN = object()


def _next_number(schedule: Schedule) -> int:
    """The schedule's next version number, under a lock on the schedule's row, so that two
    builds or copies finishing at once never take the same number (call inside a
    transaction; the unique constraint is the last word)."""
    Schedule.objects.select_for_update(no_key=True).filter(pk=schedule.pk).values_list("pk").first()
    current = ScheduleVersion.objects.filter(schedule=schedule).aggregate(top=Max("number"))
    return (current["top"] or 0) + 1


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
    tracks = {t.code: t.pk for t in Track.objects.for_program(program)}
    rotations = dict(Rotation.objects.for_program(program).values_list("code", "pk"))
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


def _lock_draft(version: ScheduleVersion) -> None:
    """Lock the version's row (as publishing does) and refuse unless it is still a draft in
    the database, not just in memory: an edit racing a publish waits for it, then is refused.
    Call inside a transaction.

    The locks here are FOR NO KEY UPDATE: they exclude each other but not the key-share
    locks that inserting a row pointing at the version takes (a compliance run), which would
    otherwise deadlock with an edit marking the schedule dirty."""
    status = (
        ScheduleVersion.objects.select_for_update(no_key=True)
        .filter(pk=version.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != ScheduleVersion.Status.DRAFT:
        raise ValidationError("Published versions are immutable; copy it to a new draft first.")


@transaction.atomic
def assignment_set(
    *,
    version: ScheduleVersion,
    resident: Resident,
    week: int,
    rotation: Rotation | None,
    expected: str | object | None = UNSEEN,
) -> None:
    """Put `resident` on `rotation` in `week` of a draft (None clears the cell).

    `expected` is the rotation code (None: an empty cell) the editor saw when they opened the
    cell: when someone else changed it meanwhile, the edit is refused and the newer value
    kept, instead of one director silently overwriting the other.
    """
    _lock_draft(version)
    year = version.schedule.academic_year
    if not 0 <= week < year.weeks:
        raise ValidationError({"week": f"Week must be between 1 and {year.weeks}."})
    if not VersionResident.objects.filter(version=version, resident=resident).exists():
        raise ValidationError("That resident is not in this schedule.")
    if rotation is not None and rotation.program_id != version.schedule.program_id:
        raise ValidationError({"rotation": "Unknown rotation."})
    if expected is not UNSEEN:
        now = (
            Assignment.objects.filter(version=version, resident=resident, week=week)
            .values_list("rotation__code", flat=True)
            .first()
        )
        if now != (expected or None):
            raise ValidationError(
                f"Someone changed this cell to {now or 'nothing'} a moment ago; "
                "reload the grid to see it, then edit again."
            )
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
    _lock_draft(version)
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
    _lock_draft(version)
    version = ScheduleVersion.objects.get(pk=version.pk)
    schedule = Schedule.objects.select_for_update(no_key=True).get(pk=version.schedule_id)
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
    for resident in residents:
        lines = [
            f"- week of {year.week_start(week):%a %d %b %Y}: {old or 'leave'} -> {new or 'leave'}"
            for week, old, new in changes[resident.external_id]
        ]
        body = (
            f"Hello {resident.name},\n\nThe {year.name} schedule of {schedule.program.name} was "
            f"published again and {len(lines)} of your weeks changed:\n\n" + "\n".join(lines)
        )
        email_queue(subject=f"Your schedule changed ({year.name})", body=body, to=[resident.email])
    if changes:
        logger.info(
            "Published %s of %s: %d resident(s) told their weeks changed",
            year.name,
            schedule.program.slug,
            len(changes),
        )
