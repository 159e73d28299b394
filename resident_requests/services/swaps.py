"""Writes for swaps: offer, answer (the partner), withdraw, decide (a chief or director).

Approving copies the published version to a draft, exchanges exactly the swapped cells and
publishes it, with one history event per cell; every step is e-mailed on commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from history.models import Event
from history.services import history_record
from programs.clock import program_today
from programs.models import Resident, Rotation
from residency.mail import email_queue
from resident_requests.limits import week_refusals
from resident_requests.models import Swap
from resident_requests.preview import Preview, preview_base, preview_change
from resident_requests.services.notify import deciders_notify
from resident_requests.services.requests import policy_for
from scheduling.models import Schedule, ScheduleVersion
from scheduling.services.versions import (
    assignment_set,
    user_may_publish,
    version_copy,
    version_publish,
    version_submit,
)


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
    if accept:
        year = swap.schedule.academic_year
        deciders_notify(
            program=swap.program,
            subject=f"Swap {swap.offered_by.name} ↔ {swap.partner.name} awaits your decision",
            lines=[
                f"{swap.offered_by.name} ({swap.offered_by.external_id}) and "
                f"{swap.partner.name} ({swap.partner.external_id}) agreed to swap "
                f"week(s) {_week_list(swap.weeks)}"
                + (f" for week(s) {_week_list(swap.partner_weeks)}" if swap.partner_weeks else "")
                + f" of the {year.name} schedule.",
            ],
            exclude_users=[by, swap.offered_by.user_id, swap.partner.user_id],
        )
    return swap


def _week_list(weeks) -> str:
    return ", ".join(str(week + 1) for week in weeks)


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
            by=by,
            kind=Event.Kind.SWAP,
            reason=f"Swap #{swap.pk}",
        )
    # The approval is the decision about the swap; publishing stays with those the program
    # lets publish: anyone else's approval hands the new version to them (issue 11).
    if user_may_publish(program=swap.program, user=by):
        version_publish(version=draft, by=by)
    else:
        version_submit(
            version=draft,
            by=by,
            note=f"Swap #{swap.pk} approved: {swap.offered_by.name} ↔ {swap.partner.name}",
        )
    return draft
