"""Request pages: a resident's requests and swaps, the new-request and swap forms (with the
preview before submitting), the chiefs' and directors' queue, and the program's limits.

Thin views: an access helper, a form, a selector or a service, a page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs.access import Need, ProgramAccess, program_for_user
from programs.clock import program_today
from programs.models import AcademicYear, Resident
from resident_requests import selectors, services
from resident_requests.access import request_for_access, sees_leave_category, swap_for_access
from resident_requests.forms import (
    AnswerForm,
    DecisionForm,
    PolicyForm,
    RequestForm,
    SwapForm,
    week_choices,
)
from scheduling.models import Schedule


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _open_years(access: ProgramAccess) -> list[AcademicYear]:
    today = program_today(access.program)
    years = AcademicYear.objects.filter(program=access.program).order_by("start")
    return [year for year in years if year.end >= today]


def _no_resident(request, access) -> HttpResponse:
    return render(
        request,
        "scheduling/no_resident_record.html",
        {"program": access.program, "access": access},
        status=404,
    )


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    if access.resident is None:
        return _no_resident(request, access)
    resident = access.resident
    return render(
        request,
        "resident_requests/mine.html",
        {
            "program": access.program,
            "access": access,
            "resident": resident,
            "requests": selectors.requests_of_resident(resident=resident),
            "swaps": selectors.swaps_of_resident(resident=resident),
            "answer_form": AnswerForm(),
        },
    )


def _request_page(request, access: ProgramAccess, resident: Resident | None) -> HttpResponse:
    """The request form for `resident` (None: a manager chooses whom it is for)."""
    on_behalf = resident is None
    residents = (
        Resident.objects.filter(program=access.program, status=Resident.Status.ACTIVE)
        if on_behalf
        else None
    )
    weeks = week_choices(_open_years(access), program_today(access.program))
    form = RequestForm(
        request.POST or None, program=access.program, weeks=weeks, residents=residents
    )
    refusals: list[str] = []
    preview = None
    if request.method == "POST" and form.is_valid():
        who = form.cleaned_data["resident"] if on_behalf else resident
        who.program = access.program
        kind, chosen = form.cleaned_data["kind"], form.weeks
        refusals = services.request_refusals(
            resident=who, kind=kind, weeks=chosen, on_behalf=on_behalf
        )
        if not refusals:
            preview = services.request_preview(resident=who, kind=kind, weeks=chosen)
        if request.POST.get("action") == "submit" and not refusals:
            try:
                services.request_submit(
                    resident=who,
                    kind=kind,
                    weeks=chosen,
                    by=request.user,
                    rotation=form.cleaned_data.get("rotation"),
                    leave_category=form.cleaned_data.get("leave_category") or "",
                    note=form.cleaned_data.get("note") or "",
                    on_behalf=on_behalf,
                )
            except ValidationError as error:
                refusals = _errors(error)
            else:
                messages.success(request, "Request submitted: a chief or director will decide.")
                if on_behalf:
                    return redirect("resident_requests:queue", access.program.slug)
                return redirect("resident_requests:mine", access.program.slug)
    return render(
        request,
        "resident_requests/request_form.html",
        {
            "program": access.program,
            "access": access,
            "form": form,
            "on_behalf": on_behalf,
            "refusals": refusals,
            "preview": preview,
        },
    )


@login_required
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    if access.resident is None:
        return _no_resident(request, access)
    return _request_page(request, access, access.resident)


@login_required
def request_record(request: HttpRequest, slug: str) -> HttpResponse:
    """A director (or coordinator) records a request on a resident's behalf."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    return _request_page(request, access, None)


@require_POST
@login_required
def request_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    item = request_for_access(access, pk)
    try:
        services.request_withdraw(request=item, by=request.user)
        messages.success(request, "Request withdrawn.")
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    return redirect("resident_requests:mine", slug)


def _swap_schedule(access: ProgramAccess) -> Schedule | None:
    """The first open year's schedule that has a published version."""
    years = [year.pk for year in _open_years(access)]
    return (
        Schedule.objects.filter(academic_year_id__in=years, published_version__isnull=False)
        .select_related("academic_year__program", "published_version")
        .order_by("academic_year__start")
        .first()
    )


@login_required
def swap_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    if access.resident is None:
        return _no_resident(request, access)
    me = access.resident
    me.program = access.program
    schedule = _swap_schedule(access)
    partners = Resident.objects.filter(
        program=access.program, status=Resident.Status.ACTIVE
    ).exclude(pk=me.pk)
    weeks = (
        week_choices([schedule.academic_year], program_today(access.program)) if schedule else []
    )
    form = SwapForm(request.POST or None, partners=partners, weeks=weeks)
    refusals: list[str] = []
    preview = None
    if schedule is not None and request.method == "POST" and form.is_valid():
        mine_weeks, their_weeks = form.week_indices(schedule.academic_year)
        partner = form.cleaned_data["partner"]
        arguments = {
            "schedule": schedule,
            "offered_by": me,
            "partner": partner,
            "weeks": mine_weeks,
            "partner_weeks": their_weeks,
        }
        preview = services.swap_preview(**arguments)
        try:
            if request.POST.get("action") == "submit":
                services.swap_offer(
                    **arguments, by=request.user, note=form.cleaned_data.get("note") or ""
                )
                messages.success(request, f"Swap offered to {partner.name}.")
                return redirect("resident_requests:mine", slug)
            services.swap_check(**arguments)
        except ValidationError as error:
            refusals = _errors(error)
    return render(
        request,
        "resident_requests/swap_form.html",
        {
            "program": access.program,
            "access": access,
            "form": form,
            "schedule": schedule,
            "refusals": refusals,
            "preview": preview,
        },
    )


@require_POST
@login_required
def swap_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    swap = swap_for_access(access, pk, as_role="partner")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Accept or refuse the swap.")
        return redirect("resident_requests:mine", slug)
    try:
        services.swap_answer(
            swap=swap, accept=form.cleaned_data["answer"] == "accept", by=request.user
        )
        messages.success(request, "Answer recorded.")
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    return redirect("resident_requests:mine", slug)


@require_POST
@login_required
def swap_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    swap = swap_for_access(access, pk, as_role="offered_by")
    try:
        services.swap_withdraw(swap=swap, by=request.user)
        messages.success(request, "Swap withdrawn.")
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    return redirect("resident_requests:mine", slug)


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    return render(
        request,
        "resident_requests/queue.html",
        {
            "program": access.program,
            "access": access,
            "items": selectors.request_queue(program=access.program),
            "decided": selectors.recent_decisions(program=access.program),
            "sees_category": sees_leave_category(access),
            "decision_form": DecisionForm(),
        },
    )


def _decided(request, slug: str, error: ValidationError | None, done: str) -> HttpResponse:
    if error is None:
        messages.success(request, done)
    else:
        messages.error(request, " ".join(_errors(error)))
    return redirect("resident_requests:queue", slug)


@require_POST
@login_required
def request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    item = request_for_access(access, pk, decide=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _decided(request, slug, ValidationError("Approve or decline the request."), "")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        item = services.request_decide(
            request=item, approve=approve, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        return _decided(request, slug, error, "")
    conflicts = services.request_conflicts(request=item) if approve else None
    if conflicts and conflicts.changes:
        weeks = ", ".join(str(change.week + 1) for change in conflicts.changes)
        messages.warning(
            request,
            f"The published schedule still has {item.resident.name} working in week(s) "
            f"{weeks}: re-plan it from the list of decided requests below.",
        )
    return _decided(request, slug, None, f"Request of {item.resident.name} {item.status}.")


@require_POST
@login_required
def request_replan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    item = request_for_access(access, pk, decide=True)
    try:
        job = services.request_replan(request=item, by=request.user)
    except ValidationError as error:
        return _decided(request, slug, error, "")
    year = job.schedule.academic_year.name
    return redirect(reverse("scheduling:job", args=[slug, year, job.pk]))


@require_POST
@login_required
def swap_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    swap = swap_for_access(access, pk, as_role="decider")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _decided(request, slug, ValidationError("Approve or decline the swap."), "")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        swap = services.swap_decide(
            swap=swap, approve=approve, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        return _decided(request, slug, error, "")
    done = f"Swap {swap.get_status_display().lower()}."
    if swap.result_version is not None:
        version = swap.result_version
        version.refresh_from_db(fields=["status"])
        done += (
            f" Published as version {version.number}."
            if version.status == version.Status.PUBLISHED
            else f" Version {version.number} has the swap and awaits a director's publication."
        )
    return _decided(request, slug, None, done)


@login_required
def limits(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.MANAGE)
    form = PolicyForm(request.POST or None, instance=services.policy_for(access.program))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data | {"blackout_weeks": form.cleaned_data["blackout"]}
        services.policy_update(program=access.program, values=values, by=request.user)
        messages.success(request, "Request limits saved.")
        return redirect("resident_requests:limits", slug)
    return render(
        request,
        "resident_requests/limits.html",
        {"program": access.program, "access": access, "form": form},
    )
