"""Writes for requests and swaps: submit, withdraw, decide; offer, answer, approve a swap.

Every refusal is a ValidationError naming its reason, raised before anything is saved.
Every change records a history event (`history_record`) in its own transaction, and every
decision is e-mailed to the people it concerns once that transaction commits
(`residency.mail.email_queue`, through Celery).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from history.models import Event
from history.services import history_record, history_record_many
from programs.clock import program_today
from programs.models import AcademicYear, Resident, ResidentRequest, Rotation
from residency.mail import email_queue
from resident_requests.limits import vacation_refusals, week_refusals
from resident_requests.models import RequestPolicy, Swap
from resident_requests.preview import Preview, preview_base, preview_change, year_for_weeks
from scheduling.models import BuildJob, Schedule, ScheduleVersion
from scheduling.services.builds import build_job_start
from scheduling.services.versions import assignment_set, version_copy, version_publish

Kind = ResidentRequest.Kind
Status = ResidentRequest.Status
WEEKLY = (Kind.VACATION, Kind.LEAVE, Kind.AVOID)


def policy_for(program) -> RequestPolicy:
    policy, _ = RequestPolicy.objects.get_or_create(program=program)
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


def request_replan(*, request: ResidentRequest, by, time_limit_s: int = 60) -> BuildJob:
    """Start a re-solve of the published schedule the approved request conflicts with."""
    if request.status != Status.APPROVED or request.kind not in (Kind.VACATION, Kind.LEAVE):
        raise ValidationError("Only an approved vacation or leave is re-planned around.")
    weeks = [datetime.date.fromisoformat(d) for d in request.weeks]
    year = year_for_weeks(program=request.resident.program, weeks=weeks)
    schedule = Schedule.objects.filter(academic_year=year).first() if year else None
    if schedule is None or schedule.published_version_id is None:
        raise ValidationError("There is no published schedule to re-plan.")
    return build_job_start(
        schedule=schedule,
        by=by,
        time_limit_s=time_limit_s,
        base_version=schedule.published_version,
    )


# --- Swaps ----------------------------------------------------------------------------------


def _swap_year(schedule: Schedule) -> AcademicYear:
    return schedule.academic_year


def swap_preview(
    *,
    schedule: Schedule,
    offered_by: Resident,
    partner: Resident,
    weeks: list[int],
    partner_weeks: list[int],
    base=None,
) -> Preview:
    """Granting the swap: the two residents' cells in those weeks exchanged."""
    base = base or preview_base(year=schedule.academic_year)
    cells: dict[tuple[str, int], str | None] = {}
    a, b = offered_by.external_id, partner.external_id
    if base.version is not None and a in base.rows and b in base.rows:
        for week in sorted(set(weeks) | set(partner_weeks)):
            if 0 <= week < len(base.rows[a]):
                cells[(a, week)] = base.rows[b][week]
                cells[(b, week)] = base.rows[a][week]
    preview = preview_change(base=base, focus=offered_by, cells=cells)
    if preview.published and b not in base.rows:
        preview.scheduled = False
        preview.note = f"{partner.name} is not on the published schedule of {base.year.name}."
    return preview


def _swap_refusals(
    *, schedule, offered_by, partner, weeks: list[int], partner_weeks: list[int]
) -> tuple[list[str], Preview | None]:
    year = schedule.academic_year
    reasons: list[str] = []
    if partner.program_id != offered_by.program_id:
        return [f"{partner.name} is not a resident of {offered_by.program.name}."], None
    if partner.pk == offered_by.pk:
        return ["Choose a co-resident to swap with, not yourself."], None
    if not weeks:
        return ["Choose at least one week to give."], None
    days = [year.week_start(w) for w in sorted(set(weeks) | set(partner_weeks))]
    policy = policy_for(offered_by.program)
    reasons += week_refusals(
        weeks=days,
        year_name=year.name,
        year_start=year.start,
        year_weeks=year.weeks,
        today=program_today(offered_by.program),
        notice_days=policy.notice_days,
    )
    if reasons:
        return reasons, None
    preview = swap_preview(
        schedule=schedule,
        offered_by=offered_by,
        partner=partner,
        weeks=weeks,
        partner_weeks=partner_weeks,
    )
    if not preview.published or not preview.scheduled:
        return [preview.note], preview
    if not preview.changes:
        return ["Those weeks are the same for both of you: there is nothing to swap."], preview
    ids = {offered_by.external_id, partner.external_id}
    reasons += [f"Not allowed by the rules: {v.message}" for v in preview.breaks_for(ids)]
    return reasons, preview


def swap_check(
    *,
    schedule: Schedule,
    offered_by: Resident,
    partner: Resident,
    weeks: list[int],
    partner_weeks: list[int],
) -> None:
    """Raise the reasons a swap offer would be refused (for the preview before offering)."""
    reasons, _preview = _swap_refusals(
        schedule=schedule,
        offered_by=offered_by,
        partner=partner,
        weeks=sorted(set(weeks)),
        partner_weeks=sorted(set(partner_weeks)),
    )
    if reasons:
        raise ValidationError(reasons)


@transaction.atomic
def swap_offer(
    *,
    schedule: Schedule,
    offered_by: Resident,
    partner: Resident,
    weeks: list[int],
    by,
    partner_weeks: list[int] | None = None,
    note: str = "",
) -> Swap:
    """Offer `partner` an exchange of cells; refused (nothing saved) for another program's
    resident, weeks outside the year, in the past or too late, or a swap that puts either
    resident on a rotation the hard rules do not allow them."""
    partner_weeks = sorted(set(partner_weeks or []))
    weeks = sorted(set(weeks))
    reasons, _preview = _swap_refusals(
        schedule=schedule,
        offered_by=offered_by,
        partner=partner,
        weeks=weeks,
        partner_weeks=partner_weeks,
    )
    if reasons:
        raise ValidationError(reasons)
    swap = Swap(
        program=offered_by.program,
        schedule=schedule,
        offered_by=offered_by,
        partner=partner,
        weeks=weeks,
        partner_weeks=partner_weeks,
        note=note,
        created_by=by,
    )
    swap.full_clean()
    swap.save()
    history_record(
        program=offered_by.program,
        kind=Event.Kind.REQUEST_SUBMITTED,
        subject=f"Swap {offered_by.external_id} ↔ {partner.external_id}",
        by=by,
        resident=offered_by,
        after=_swap_snapshot(swap),
        reason=note,
    )
    path = reverse("resident_requests:mine", args=[offered_by.program.slug])
    email_queue(
        subject=f"{offered_by.name} offers you a swap",
        body=f"Hello {partner.name},\n\n{offered_by.name} offers you a swap of weeks. "
        f"Accept or refuse it on your requests page: {path}",
        to=[partner.email],
    )
    return swap


def _swap_snapshot(swap: Swap) -> dict:
    return {
        "swap": swap.pk,
        "status": swap.status,
        "weeks": list(swap.weeks),
        "partner_weeks": list(swap.partner_weeks),
    }


def _lock_swap(swap: Swap) -> Swap:
    return (
        Swap.objects.select_for_update(of=("self",))
        .select_related("offered_by", "partner", "program", "schedule__academic_year")
        .get(pk=swap.pk)
    )


@transaction.atomic
def swap_answer(*, swap: Swap, accept: bool, by) -> Swap:
    """The partner accepts (it goes to the chiefs' queue) or refuses the offer."""
    swap = _lock_swap(swap)
    if swap.status != Swap.Status.OFFERED:
        raise ValidationError("This swap is no longer waiting for an answer.")
    before = _swap_snapshot(swap)
    swap.status = Swap.Status.ACCEPTED if accept else Swap.Status.REFUSED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["status", "answered_at"])
    history_record(
        program=swap.program,
        kind=Event.Kind.REQUEST_DECIDED,
        subject=f"Swap {swap.offered_by.external_id} ↔ {swap.partner.external_id} "
        + ("accepted by the partner" if accept else "refused by the partner"),
        by=by,
        resident=swap.partner,
        before=before,
        after=_swap_snapshot(swap),
    )
    email_queue(
        subject=f"{swap.partner.name} {'accepted' if accept else 'refused'} your swap",
        body=f"Hello {swap.offered_by.name},\n\n{swap.partner.name} "
        + (
            "accepted your swap; a chief resident or director will now approve it."
            if accept
            else "refused your swap."
        ),
        to=[swap.offered_by.email],
    )
    return swap


@transaction.atomic
def swap_withdraw(*, swap: Swap, by) -> Swap:
    swap = _lock_swap(swap)
    if swap.status not in Swap.OPEN:
        raise ValidationError("Only an open swap can be withdrawn.")
    before = _swap_snapshot(swap)
    swap.status = Swap.Status.WITHDRAWN
    swap.save(update_fields=["status"])
    history_record(
        program=swap.program,
        kind=Event.Kind.REQUEST_DECIDED,
        subject=f"Swap {swap.offered_by.external_id} ↔ {swap.partner.external_id} withdrawn",
        by=by,
        resident=swap.offered_by,
        before=before,
        after=_swap_snapshot(swap),
    )
    return swap


@transaction.atomic
def swap_decide(*, swap: Swap, approve: bool, by, comment: str = "") -> Swap:
    """Decline, or approve an accepted swap: the published version is copied to a draft,
    exactly the swapped cells change, and the draft is published, unless the swap now breaks
    a hard rule (the schedule may have changed since the offer): then nothing is saved and
    the error lists the breaks."""
    swap = _lock_swap(swap)
    if swap.status != Swap.Status.ACCEPTED:
        raise ValidationError("Only a swap both residents agreed to can be decided.")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Say why the swap is declined."})
    before = _swap_snapshot(swap)
    swap.decided_by = by
    swap.decided_at = timezone.now()
    swap.decision_comment = comment.strip()
    if approve:
        swap.result_version = _swap_apply(swap, by)
        swap.status = Swap.Status.APPROVED
    else:
        swap.status = Swap.Status.DECLINED
    swap.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "result_version"]
    )
    history_record(
        program=swap.program,
        kind=Event.Kind.REQUEST_DECIDED,
        subject=f"Swap {swap.offered_by.external_id} ↔ {swap.partner.external_id} "
        f"{swap.get_status_display().lower()}",
        by=by,
        version=swap.result_version,
        resident=swap.offered_by,
        before=before,
        after=_swap_snapshot(swap),
        reason=swap.decision_comment,
    )
    verdict = swap.get_status_display().lower()
    for person in (swap.offered_by, swap.partner):
        body = f"Hello {person.name},\n\nThe swap between {swap.offered_by.name} and " + (
            f"{swap.partner.name} was {verdict}."
        )
        if swap.decision_comment:
            body += f"\n\nComment: {swap.decision_comment}"
        email_queue(subject=f"Your swap was {verdict}", body=body, to=[person.email])
    return swap


def _swap_apply(swap: Swap, by) -> ScheduleVersion:
    # Two approvals at once would both copy the same published version and the second
    # publish would drop the first swap: the schedule's row lock makes them take turns,
    # and the second reads the version the first published.
    Schedule.objects.select_for_update(no_key=True).filter(pk=swap.schedule_id).first()
    schedule = Schedule.objects.select_related("published_version", "academic_year").get(
        pk=swap.schedule_id
    )
    published = schedule.published_version
    if published is None:
        raise ValidationError("There is no published schedule to apply the swap to.")
    preview = swap_preview(
        schedule=schedule,
        offered_by=swap.offered_by,
        partner=swap.partner,
        weeks=swap.weeks,
        partner_weeks=swap.partner_weeks,
    )
    if not preview.scheduled:
        raise ValidationError(preview.note)
    if preview.breaks:
        raise ValidationError(
            ["The swap would break the schedule's hard rules:"]
            + [v.message for v in preview.breaks]
        )
    # Weeks before the current week are history: never changed (issue 11).
    today_week = schedule.academic_year.week_index(program_today(swap.program))
    if today_week is not None and any(c.week < today_week for c in preview.changes):
        raise ValidationError("The swap touches weeks that have already passed.")
    draft = version_copy(version=published, by=by)
    ScheduleVersion.objects.filter(pk=draft.pk).update(
        note=f"Swap #{swap.pk}: {swap.offered_by.name} ↔ {swap.partner.name}"[:300]
    )
    residents = {r.external_id: r for r in (swap.offered_by, swap.partner)}
    rotations = {r.code: r for r in Rotation.objects.filter(program=swap.program)}
    for change in preview.changes:
        assignment_set(
            version=draft,
            resident=residents[change.resident],
            week=change.week,
            rotation=rotations[change.after] if change.after else None,
        )
    history_record_many(
        events=[
            Event(
                program=swap.program,
                kind=Event.Kind.SWAP,
                subject=f"{change.resident} · week {change.week + 1}",
                actor=by if getattr(by, "is_authenticated", False) else None,
                version=draft,
                resident=residents[change.resident],
                week=change.week,
                before={"rotation": change.before},
                after={"rotation": change.after},
                reason=f"Swap #{swap.pk}",
            )
            for change in preview.changes
        ]
    )
    version_publish(version=draft, by=by)
    return draft
