"""Writes for requests: submit (refused with every reason by the program's limits),
withdraw, decide (e-mailed once the transaction commits), re-plan around an approved one.

Every change records a history event (`history_record`) in its own transaction.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from history.models import Event
from history.services import history_record, history_record_change
from programs.clock import program_today
from programs.models import AcademicYear, Resident, ResidentRequest, Rotation
from residency.mail import email_queue
from resident_requests.limits import vacation_refusals, week_refusals
from resident_requests.models import RequestPolicy
from resident_requests.preview import Preview, preview_base, preview_change, year_for_weeks
from resident_requests.services.notify import deciders_notify
from scheduling.models import BuildJob, Schedule
from scheduling.services.builds import schedule_replan

Kind = ResidentRequest.Kind
Status = ResidentRequest.Status
WEEKLY = (Kind.VACATION, Kind.LEAVE, Kind.AVOID)


def policy_for(program) -> RequestPolicy:
    policy, _ = RequestPolicy.objects.get_or_create(program=program)
    return policy


POLICY_FIELDS = ("vacation_weeks_per_year", "notice_days", "blackout_weeks")


@transaction.atomic
def policy_update(*, program, values: dict, by) -> RequestPolicy:
    """The program's request limits (`POLICY_FIELDS`), recorded in its history when changed."""
    policy = policy_for(program)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name in POLICY_FIELDS:
        if name in values:
            setattr(policy, name, values[name])
    policy.full_clean()
    policy.save()
    after = {name: getattr(policy, name) for name in POLICY_FIELDS}
    history_record_change(
        program=program,
        subject="Request limits",
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        by=by,
    )
    return policy


def _vacation_taken(resident: Resident, year: AcademicYear, exclude: int | None = None) -> int:
    end = year.start + datetime.timedelta(weeks=year.weeks)
    taken = set()
    requests = ResidentRequest.objects.filter(
        resident=resident, kind=Kind.VACATION, status__in=[Status.APPROVED, Status.PENDING]
    ).exclude(pk=exclude)
    for weeks in requests.values_list("weeks", flat=True):
        for text in weeks:
            day = datetime.date.fromisoformat(text)
            if year.start <= day < end:
                taken.add(day)
    return len(taken)


def _week_indices(year: AcademicYear, weeks: list[datetime.date]) -> tuple[int, ...]:
    return tuple(sorted({(day - year.start).days // 7 for day in weeks}))


def request_preview(
    *, resident: Resident, kind: str, weeks: list[datetime.date], base=None
) -> Preview | None:
    """The preview of a vacation or leave (the resident's cells become vacation / empty);
    wishes change nothing until a build, so they have none (None)."""
    if kind not in (Kind.VACATION, Kind.LEAVE) or not weeks:
        return None
    year = base.year if base is not None else year_for_weeks(program=resident.program, weeks=weeks)
    if year is None:
        return None
    base = base or preview_base(year=year)
    indices = tuple(i for i in _week_indices(year, weeks) if 0 <= i < year.weeks)
    if kind == Kind.VACATION:
        return preview_change(base=base, focus=resident, vacation_weeks=indices)
    return preview_change(base=base, focus=resident, leave_weeks=indices)


def _overlaps(resident: Resident, weeks: list[datetime.date]) -> list[str]:
    """Weeks already off (vacation or leave, approved or pending): asked twice, counted once."""
    wanted = {day.isoformat() for day in weeks}
    reasons = []
    for request in ResidentRequest.objects.filter(
        resident=resident,
        kind__in=[Kind.VACATION, Kind.LEAVE],
        status__in=[Status.APPROVED, Status.PENDING],
    ):
        for text in sorted(wanted & set(request.weeks)):
            day = datetime.date.fromisoformat(text)
            reasons.append(
                f"You already have {request.get_kind_display().lower()} "
                f"({request.get_status_display().lower()}) in the week of {day:%a %d %b %Y}."
            )
    return reasons


def request_refusals(
    *, resident: Resident, kind: str, weeks: list[datetime.date], on_behalf: bool = False
) -> list[str]:
    """Every limit of the program a request of `weeks` breaks, as sentences (none: allowed)."""
    program = resident.program
    policy = policy_for(program)
    reasons: list[str] = []
    if weeks:
        year = year_for_weeks(program=program, weeks=weeks)
        if year is None:
            year = AcademicYear.objects.filter(program=program).order_by("start").first()
        if year is None:
            raise ValidationError("This program has no academic year to ask for.")
        reasons += week_refusals(
            weeks=weeks,
            year_name=year.name,
            year_start=year.start,
            year_weeks=year.weeks,
            today=program_today(program),
            notice_days=None if on_behalf else policy.notice_days,
        )
        if kind in (Kind.VACATION, Kind.LEAVE):
            reasons += _overlaps(resident, weeks)
        if kind == Kind.VACATION:
            blackout = [datetime.date.fromisoformat(d) for d in policy.blackout_weeks]
            reasons += vacation_refusals(
                weeks=weeks,
                blackout=blackout,
                taken=_vacation_taken(resident, year),
                allotment=policy.vacation_weeks_per_year,
                year_name=year.name,
            )
    return reasons


@transaction.atomic
def request_submit(
    *,
    resident: Resident,
    kind: str,
    weeks: list[datetime.date],
    by,
    rotation: Rotation | None = None,
    leave_category: str = "",
    note: str = "",
    weight: int | None = None,
    on_behalf: bool = False,
) -> ResidentRequest:
    """A pending request of `resident`, refused (nothing saved) when it breaks a limit.

    `on_behalf`: a director records it for the resident; the notice does not apply.
    """
    program = resident.program
    if kind not in Kind.values:
        raise ValidationError({"kind": "Choose vacation, leave, prefer or avoid."})
    if kind in WEEKLY and not weeks:
        raise ValidationError({"weeks": "Choose at least one week."})
    if kind == Kind.PREFER:
        weeks = []  # a preference holds for the year (spec: prefer has no weeks)
    if kind in (Kind.PREFER, Kind.AVOID):
        if rotation is None or rotation.program_id != program.pk:
            raise ValidationError({"rotation": "Choose a rotation of this program."})
    else:
        rotation = None
    if kind != Kind.LEAVE:
        leave_category = ""
    elif leave_category not in ResidentRequest.LeaveCategory.values:
        raise ValidationError({"leave_category": "Choose the kind of leave."})
    reasons = request_refusals(resident=resident, kind=kind, weeks=weeks, on_behalf=on_behalf)
    if reasons:
        raise ValidationError(reasons)
    request = ResidentRequest(
        resident=resident,
        kind=kind,
        status=Status.PENDING,
        rotation=rotation,
        weeks=[day.isoformat() for day in sorted(set(weeks))],
        weight=weight,
        leave_category=leave_category,
        note=note,
        requested_by=by,
        on_behalf=on_behalf,
        position=_next_position(resident),
    )
    request.full_clean()
    request.save()
    history_record(
        program=program,
        kind=Event.Kind.REQUEST_SUBMITTED,
        subject=f"{resident.external_id} · {request.get_kind_display()}",
        by=by,
        resident=resident,
        after=_snapshot(request),
        reason=note,
    )
    # The leave category is for directors only: the e-mail, read by chiefs too, omits it.
    days = ", ".join(f"{day:%d %b %Y}" for day in sorted(set(weeks)))
    deciders_notify(
        program=program,
        subject=f"{resident.name} asks for {request.get_kind_display().lower()}",
        lines=[
            f"{resident.name} ({resident.external_id}) asks for "
            f"{request.get_kind_display().lower()}"
            + (f" on {rotation.name}" if rotation else "")
            + (f", weeks of {days}." if days else "."),
        ],
        exclude_users=[by, resident.user_id],
    )
    return request


def _next_position(resident: Resident) -> int:
    top = ResidentRequest.objects.filter(resident=resident).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _snapshot(request: ResidentRequest) -> dict:
    # The leave category stays out of history, which chiefs read (directors only see it).
    return {
        "request": request.pk,
        "kind": request.kind,
        "status": request.status,
        "weeks": list(request.weeks),
        "rotation": request.rotation.code if request.rotation_id else None,
    }


def _lock(request: ResidentRequest) -> ResidentRequest:
    return (
        ResidentRequest.objects.select_for_update(of=("self",))
        .select_related("resident__program", "rotation")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_withdraw(*, request: ResidentRequest, by) -> ResidentRequest:
    """The requester takes back a pending request."""
    request = _lock(request)
    if request.status != Status.PENDING:
        raise ValidationError("Only a pending request can be withdrawn.")
    before = _snapshot(request)
    request.status = Status.WITHDRAWN
    request.save(update_fields=["status"])
    history_record(
        program=request.resident.program,
        kind=Event.Kind.REQUEST_DECIDED,
        subject=f"{request.resident.external_id} · {request.get_kind_display()} withdrawn",
        by=by,
        resident=request.resident,
        before=before,
        after=_snapshot(request),
    )
    return request


@transaction.atomic
def request_decide(
    *, request: ResidentRequest, approve: bool, by, comment: str = ""
) -> ResidentRequest:
    """Approve or decline a pending request; the resident is e-mailed the decision.

    An approved vacation or leave becomes program data exactly like a bundle request (the
    next build and the bundle export see it); a conflict with the published schedule is
    resolved by a re-plan (`request_replan`), not here.
    """
    request = _lock(request)
    if request.status != Status.PENDING:
        raise ValidationError(f"This request is already {request.get_status_display().lower()}.")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Say why the request is declined."})
    before = _snapshot(request)
    request.status = Status.APPROVED if approve else Status.DECLINED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_comment = comment.strip()
    request.full_clean()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    resident = request.resident
    history_record(
        program=resident.program,
        kind=Event.Kind.REQUEST_DECIDED,
        subject=f"{resident.external_id} · {request.get_kind_display()} "
        f"{request.get_status_display().lower()}",
        by=by,
        resident=resident,
        before=before,
        after=_snapshot(request),
        reason=request.decision_comment,
    )
    weeks = ", ".join(f"{datetime.date.fromisoformat(d):%d %b %Y}" for d in request.weeks)
    lines = [
        f"Hello {resident.name},",
        "",
        f"Your request ({request.get_kind_display().lower()}"
        + (f", weeks of {weeks}" if weeks else "")
        + f") was {request.get_status_display().lower()}.",
    ]
    if request.decision_comment:
        lines += ["", f"Comment: {request.decision_comment}"]
    path = reverse("resident_requests:mine", args=[resident.program.slug])
    lines += ["", f"Your requests: {path}"]
    email_queue(
        subject=f"Your request was {request.get_status_display().lower()}",
        body="\n".join(lines),
        to=[resident.email],
    )
    return request


def request_conflicts(*, request: ResidentRequest, base=None) -> Preview | None:
    """For an approved or pending vacation/leave: the published cells it conflicts with."""
    weeks = [datetime.date.fromisoformat(d) for d in request.weeks]
    return request_preview(resident=request.resident, kind=request.kind, weeks=weeks, base=base)


def request_replan(*, request: ResidentRequest, by, time_limit_s: int | None = None) -> BuildJob:
    """Queue the minimal-change re-plan (`scheduling.services.builds.schedule_replan`) of the
    published schedule the approved vacation or leave conflicts with: a draft that keeps
    history and pinned cells and changes as few future cells as it can, read as a diff on
    the version page before anyone publishes it. Returns the queued job."""
    if request.status != Status.APPROVED or request.kind not in (Kind.VACATION, Kind.LEAVE):
        raise ValidationError("Only an approved vacation or leave is re-planned around.")
    weeks = [datetime.date.fromisoformat(d) for d in request.weeks]
    year = year_for_weeks(program=request.resident.program, weeks=weeks)
    schedule = Schedule.objects.filter(academic_year=year).first() if year else None
    if schedule is None or schedule.published_version_id is None:
        raise ValidationError("There is no published schedule to re-plan.")
    resident = request.resident
    reason = (
        f"Approved {request.get_kind_display().lower()} for {resident.name} "
        f"(request {request.pk}): weeks of {', '.join(f'{w:%d %b %Y}' for w in sorted(weeks))}."
    )
    return schedule_replan(schedule=schedule, by=by, reason=reason, time_limit_s=time_limit_s)
