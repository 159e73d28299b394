"""Writes for schedule versions: storing solver results, cell edits, pins, copies, publishing.

Every write that changes what a schedule says marks its compliance dirty, which enqueues one
coalesced recompute once the transaction commits (see `compliance.services.compliance_mark_dirty`).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from compliance.services import compliance_mark_dirty
from history.models import Event
from history.services import history_record
from programs.access import program_access
from programs.models import Resident, Role, Rotation, Track
from residency.mail import email_queue
from scheduling.models import (
    Assignment,
    Schedule,
    ScheduleVersion,
    VersionResident,
)
from scheduling.selectors import (
    schedule_history_weeks,
    version_diff,
    version_history_changes,
    version_violations,
)
from scheduling.solver.problem import Problem, SolveResult

#: Who may confirm publishing a version that breaks hard rules (issue 11): directors only.
OVERRIDERS = frozenset({Role.Kind.DIRECTOR, Role.Kind.ASSOCIATE_DIRECTOR})

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
    rewritten = version_history_changes(version=version, rows=result.assignments)
    if rewritten:
        # The solver was given history as fixed cells; a result that moves one is refused.
        rid, week = rewritten[0]
        raise ValidationError(
            f"The result changes {len(rewritten)} history cell(s) (first: {rid}, week "
            f"{week + 1}); weeks before this one are kept as published. Nothing was stored."
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
    history_record(
        program=schedule.program,
        kind=Event.Kind.DRAFT,
        subject=f"Draft v{copy.number} copied from v{version.number}",
        by=by,
        version=copy,
        before={"version": version.number},
        after={"version": copy.number},
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
    by=None,
    reason: str = "",
    reverts: Event | None = None,
    kind: str = Event.Kind.CELL_EDIT,
) -> Event | None:
    """Put `resident` on `rotation` in `week` of a draft (None clears the cell); returns the
    history event it recorded (None when the cell already said so), of `kind` (a hand
    edit unless the caller is, say, a swap).

    `expected` is the rotation code (None: an empty cell) the editor saw when they opened the
    cell: when someone else changed it meanwhile, the edit is refused and the newer value
    kept, instead of one director silently overwriting the other. History weeks (before
    this week, once the schedule is published) are refused. With `reverts`, the edit is
    the undo of that event and is recorded as such.
    """
    _lock_draft(version)
    year = version.schedule.academic_year
    if not 0 <= week < year.weeks:
        raise ValidationError({"week": f"Week must be between 1 and {year.weeks}."})
    _refuse_history(version, week)
    if not VersionResident.objects.filter(version=version, resident=resident).exists():
        raise ValidationError("That resident is not in this schedule.")
    if rotation is not None and rotation.program_id != version.schedule.program_id:
        raise ValidationError({"rotation": "Unknown rotation."})
    now = (
        Assignment.objects.filter(version=version, resident=resident, week=week)
        .values_list("rotation__code", flat=True)
        .first()
    )
    if expected is not UNSEEN and now != (expected or None):
        raise ValidationError(
            f"Someone changed this cell to {now or 'nothing'} a moment ago; "
            "reload the grid to see it, then edit again."
        )
    new = rotation.code if rotation is not None else None
    if rotation is None:
        Assignment.objects.filter(version=version, resident=resident, week=week).delete()
    else:
        Assignment.objects.update_or_create(
            version=version, resident=resident, week=week, defaults={"rotation": rotation}
        )
    ScheduleVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    compliance_mark_dirty(schedule=version.schedule)
    if now == new and reverts is None:
        return None
    return history_record(
        program=version.schedule.program,
        kind=Event.Kind.UNDO if reverts else kind,
        subject=f"{resident.external_id} {resident.name} · week {week + 1}",
        by=by,
        version=version,
        resident=resident,
        week=week,
        before={"rotation": now},
        after={"rotation": new},
        reason=reason,
        reverts=reverts,
    )


def _refuse_history(version: ScheduleVersion, week: int) -> None:
    """Refuse a change to a history week (issue 11): it happened, it stays as published."""
    history = schedule_history_weeks(schedule=version.schedule)
    if week < history:
        start = version.schedule.academic_year.week_start(history)
        raise ValidationError(
            f"Week {week + 1} is history: the weeks before the week of {start:%d %b %Y} are "
            "kept as they were published and cannot be changed."
        )


@transaction.atomic
def assignment_pin(
    *,
    version: ScheduleVersion,
    resident: Resident,
    week: int,
    pinned: bool,
    by=None,
    reverts: Event | None = None,
) -> Event | None:
    """Pin a cell so that re-solving keeps it (or unpin it); returns the event recorded
    (None when it already was). History weeks are refused: they are kept anyway."""
    _lock_draft(version)
    _refuse_history(version, week)
    was = (
        Assignment.objects.filter(version=version, resident=resident, week=week)
        .values_list("pinned", flat=True)
        .first()
    )
    if was is None:
        raise ValidationError("Only a scheduled cell can be pinned.")
    Assignment.objects.filter(version=version, resident=resident, week=week).update(pinned=pinned)
    if was == pinned and reverts is None:
        return None
    return history_record(
        program=version.schedule.program,
        kind=Event.Kind.UNDO if reverts else Event.Kind.PIN,
        subject=f"{resident.external_id} {resident.name} · week {week + 1}",
        by=by,
        version=version,
        resident=resident,
        week=week,
        before={"pinned": was},
        after={"pinned": pinned},
        reverts=reverts,
    )


#: The edits of a draft that undo walks back, newest first.
UNDOABLE = (Event.Kind.CELL_EDIT, Event.Kind.PIN)


@transaction.atomic
def version_undo_last(*, version: ScheduleVersion, by) -> Event:
    """Undo the draft's newest edit (a cell edit or pin) not undone yet: restore its before
    value through `assignment_set` / `assignment_pin`, recorded as an undo event that
    `reverts` it. Refused when the cell changed since (the edit is no longer the last word
    on it) or when there is nothing left to undo. Returns the undo event."""
    _lock_draft(version)
    event = (
        Event.objects.for_version(version)
        .filter(kind__in=UNDOABLE, reverted_by__isnull=True)
        .select_related("resident")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        raise ValidationError("There is no edit of this draft left to undo.")
    if event.kind == Event.Kind.PIN:
        return assignment_pin(
            version=version,
            resident=event.resident,
            week=event.week,
            pinned=bool(event.before["pinned"]),
            by=by,
            reverts=event,
        )
    code = event.before.get("rotation")
    rotation = (
        Rotation.objects.filter(program_id=version.schedule.program_id, code=code).first()
        if code
        else None
    )
    if code and rotation is None:
        raise ValidationError(f"Rotation {code} no longer exists; the edit cannot be undone.")
    return assignment_set(
        version=version,
        resident=event.resident,
        week=event.week,
        rotation=rotation,
        expected=event.after.get("rotation") or "",
        by=by,
        reason=f"Undo of: {event.subject}",
        reverts=event,
    )


def user_may_publish(*, program, user) -> bool:
    """Whether `user` may publish `program`'s schedules: a role the program lists in
    `publish_roles` (default: program and associate directors), or a site operator.
    `None` is a command run by the operator (manage.py)."""
    if user is None:
        return True
    access = program_access(user, program)
    return access.is_staff or bool(access.roles & set(program.publish_roles or []))


def user_may_override(*, program, user) -> bool:
    """Whether `user` may publish a version that breaks hard rules: a director (chief
    residents and coordinators may not, whatever `publish_roles` says)."""
    if user is None:
        return False
    access = program_access(user, program)
    return access.is_staff or bool(access.roles & OVERRIDERS)


@transaction.atomic
def version_publish(*, version: ScheduleVersion, by, override_reason: str = "") -> dict[str, list]:
    """Publish a draft: it becomes immutable and what residents see; the old one is kept.

    Refused (issue 11) when `by` may not publish (`user_may_publish`), when the draft
    changes a history week, and when it breaks hard rules, unless a director
    (`user_may_override`) gives `override_reason`, which is stored on the version with the
    number of rules broken. Residents whose weeks changed are e-mailed what changed, once
    the transaction commits. Returns the changes per resident external id.
    """
    _lock_draft(version)
    version = ScheduleVersion.objects.select_related("schedule__program").get(pk=version.pk)
    program = version.schedule.program
    if not user_may_publish(program=program, user=by):
        raise PermissionDenied(
            "Only the program's directors may publish; submit the draft for approval instead."
        )
    rewritten = version_history_changes(version=version)
    if rewritten:
        raise ValidationError(
            f"This draft changes {len(rewritten)} history cell(s) (weeks before this one); "
            "history is kept as published. Copy the published version and edit again."
        )
    # A break that lies wholly in history (leave recorded late for a week already worked)
    # cannot be mended by any version: it does not block publishing.
    history = schedule_history_weeks(schedule=version.schedule)
    broken = [
        v for v in version_violations(version=version) if not v.weeks or max(v.weeks) >= history
    ]
    override_reason = override_reason.strip()
    if broken:
        if not override_reason:
            raise ValidationError(
                f"This version breaks {len(broken)} hard rule(s). A director may publish it "
                "anyway by confirming with a written reason."
            )
        if not user_may_override(program=program, user=by):
            raise PermissionDenied(
                "Only a program director may publish a version that breaks hard rules."
            )
    schedule = Schedule.objects.select_for_update(no_key=True).get(pk=version.schedule_id)
    previous = schedule.published_version
    changes = version_diff(old=previous, new=version) if previous else {}
    if previous is not None:
        previous.status = ScheduleVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status = ScheduleVersion.Status.PUBLISHED
    version.published_by = by
    version.published_at = timezone.now()
    fields = ["status", "published_by", "published_at", "violations_at_publish"]
    version.violations_at_publish = len(broken)
    if broken:
        version.override_by = by
        version.override_reason = override_reason
        fields += ["override_by", "override_reason"]
    version.full_clean()
    version.save(update_fields=fields)
    schedule.published_version = version
    schedule.save(update_fields=["published_version"])
    history_record(
        program=program,
        kind=Event.Kind.PUBLISH,
        subject=f"v{version.number} published"
        + (f" despite {len(broken)} broken hard rule(s)" if broken else ""),
        by=by,
        version=version,
        before={"published": previous.number if previous else None},
        after={
            "published": version.number,
            "cells_changed": sum(len(c) for c in changes.values()),
            "residents_affected": len(changes),
            "hard_rule_violations": len(broken),
        },
        reason=override_reason if broken else "",
    )
    if changes:
        transaction.on_commit(lambda: _email_changes(schedule, changes))
    compliance_mark_dirty(schedule=schedule)
    return changes


@transaction.atomic
def version_submit(*, version: ScheduleVersion, by, note: str = "") -> ScheduleVersion:
    """A chief resident (or anyone who may not publish) asks the directors to publish this
    draft: stored on the version, recorded in history, and the program's publishers are
    e-mailed once the transaction commits. Returns the version."""
    _lock_draft(version)
    version = ScheduleVersion.objects.select_related(
        "schedule__program", "schedule__academic_year"
    ).get(pk=version.pk)
    version.submitted_by = by
    version.submitted_at = timezone.now()
    version.submit_note = note.strip()
    version.full_clean()
    version.save(update_fields=["submitted_by", "submitted_at", "submit_note"])
    program = version.schedule.program
    history_record(
        program=program,
        kind=Event.Kind.PUBLISH_REQUESTED,
        subject=f"v{version.number} submitted for approval",
        by=by,
        version=version,
        after={"version": version.number},
        reason=version.submit_note,
    )
    publishers = sorted(
        set(
            Role.objects.filter(program=program, kind__in=program.publish_roles or [])
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if publishers:
        who = getattr(by, "email", "") or "A chief resident"
        year = version.schedule.academic_year
        email_queue(
            subject=f"Schedule v{version.number} ({year.name}) awaits your approval",
            body=(
                f"{who} submitted version {version.number} of the {year.name} schedule of "
                f"{program.name} for approval.\n\n"
                + (f"Their note: {version.submit_note}\n\n" if version.submit_note else "")
                + "Open the version page to see what changes and to publish it."
            ),
            to=publishers,
        )
    return version


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
