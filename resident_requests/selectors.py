"""Reads for the request pages: a resident's own requests and swaps, the chiefs' queue.

Each runs a fixed number of queries whatever the number of requests; the queue's previews
share one read of each academic year's published schedule (`preview.preview_base`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from programs.models import AcademicYear, Program, Resident, ResidentRequest
from resident_requests.models import Swap
from resident_requests.preview import Preview, PreviewBase, preview_base
from resident_requests.services import request_preview, swap_preview

Status = ResidentRequest.Status
WEEKS_OFF = (ResidentRequest.Kind.VACATION, ResidentRequest.Kind.LEAVE)


def requests_of_resident(*, resident: Resident) -> QuerySet[ResidentRequest]:
    """The resident's requests made in the app (bundle ones have no requester), newest first."""
    return (
        ResidentRequest.objects.filter(resident=resident)
        .select_related("rotation", "decided_by", "requested_by")
        .order_by("-created_at", "-pk")
    )


def swaps_of_resident(*, resident: Resident) -> QuerySet[Swap]:
    """Swaps the resident offered and swaps offered to them."""
    return Swap.objects.filter(Q(offered_by=resident) | Q(partner=resident)).select_related(
        "offered_by", "partner", "schedule__academic_year", "result_version"
    )


def queue_pending_count(*, program: Program) -> int:
    """Requests and swaps waiting for a chief or director (one query)."""
    requests = ResidentRequest.objects.filter(resident__program=program, status=Status.PENDING)
    swaps = Swap.objects.filter(program=program, status=Swap.Status.ACCEPTED)
    return requests.order_by().values("pk").union(swaps.order_by().values("pk"), all=True).count()


@dataclass
class QueueItem:
    kind: str  # "request" | "swap"
    obj: object
    preview: Preview | None


def request_queue(*, program: Program, with_previews: bool = True) -> list[QueueItem]:
    """Pending requests and agreed swaps, oldest first, each with its preview."""
    requests = list(
        ResidentRequest.objects.filter(resident__program=program, status=Status.PENDING)
        .select_related("resident__program", "resident__track", "rotation", "requested_by")
        .order_by("created_at", "pk")
    )
    swaps = list(
        Swap.objects.filter(program=program, status=Swap.Status.ACCEPTED)
        .select_related("offered_by__program", "partner", "schedule__academic_year__program")
        .order_by("created_at", "pk")
    )
    years = list(AcademicYear.objects.filter(program=program).select_related("program"))
    bases: dict[int, PreviewBase] = {}

    def base_for(year: AcademicYear | None) -> PreviewBase | None:
        if year is None:
            return None
        if year.pk not in bases:
            bases[year.pk] = preview_base(year=year)
        return bases[year.pk]

    items = []
    for request in requests:
        preview = None
        if with_previews and request.kind in (
            ResidentRequest.Kind.VACATION,
            ResidentRequest.Kind.LEAVE,
        ):
            weeks = [datetime.date.fromisoformat(d) for d in request.weeks]
            year = _year_of(years, min(weeks)) if weeks else None
            base = base_for(year)
            if base is not None:
                preview = request_preview(
                    resident=request.resident, kind=request.kind, weeks=weeks, base=base
                )
        items.append(QueueItem("request", request, preview))
    for swap in swaps:
        preview = None
        if with_previews:
            year = next((y for y in years if y.pk == swap.schedule.academic_year_id), None)
            preview = swap_preview(
                schedule=swap.schedule,
                offered_by=swap.offered_by,
                partner=swap.partner,
                weeks=swap.weeks,
                partner_weeks=swap.partner_weeks,
                base=base_for(year),
            )
        items.append(QueueItem("swap", swap, preview))
    return items


def _year_of(years: list[AcademicYear], day: datetime.date) -> AcademicYear | None:
    for year in sorted(years, key=lambda y: y.start, reverse=True):
        if year.start <= day:
            return year
    return None


def recent_decisions(*, program: Program, limit: int = 20) -> list[ResidentRequest]:
    """The latest decided requests made in the app. An approved vacation or leave carries
    `conflicts`: the published cells it contradicts (a re-plan resolves them)."""
    decided = list(
        ResidentRequest.objects.filter(
            resident__program=program,
            status__in=[Status.APPROVED, Status.DECLINED],
            decided_at__isnull=False,
        )
        .select_related("resident__program", "rotation", "decided_by")
        .order_by("-decided_at")[:limit]
    )
    years = list(AcademicYear.objects.filter(program=program).select_related("program"))
    bases: dict[int, PreviewBase] = {}
    for request in decided:
        request.conflicts = []
        if request.status != Status.APPROVED or request.kind not in WEEKS_OFF:
            continue
        weeks = [datetime.date.fromisoformat(d) for d in request.weeks]
        year = _year_of(years, min(weeks)) if weeks else None
        if year is None:
            continue
        if year.pk not in bases:
            bases[year.pk] = preview_base(year=year)
        preview = request_preview(
            resident=request.resident, kind=request.kind, weeks=weeks, base=bases[year.pk]
        )
        request.conflicts = preview.changes if preview else []
    return decided
