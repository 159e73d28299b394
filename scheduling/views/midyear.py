"""The version page and the year's safe change (issue 11): the diff before publishing,
publishing with a director's override, submitting for approval, the minimal-change re-plan,
undo, and the history of a version and of a cell (with CSV/JSON downloads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from history.exports import event_change, events_csv, events_json
from history.models import Event
from history.selectors import history_for_cell, history_for_version
from programs.access import Need, program_for_user
from programs.models import Resident
from scheduling.access import schedule_for_access, version_for_access
from scheduling.forms import CellRefForm, PublishForm, ReplanForm, SubmitForm
from scheduling.selectors import schedule_history_weeks, version_verdict, version_violations
from scheduling.selectors_midyear import version_change_summary
from scheduling.services import builds, versions

#: Events shown on the version page (the downloads have them all).
PAGE_EVENTS = 200
MESSAGES_SHOWN = 20  # the version page lists this many broken rules; the grid marks them all


def _target(request, slug: str, year: str, number: int):
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    return access, schedule, version_for_access(access, schedule, number)


def _version_url(slug: str, year: str, number: int) -> str:
    return reverse("scheduling:version", args=[slug, year, number])


def _page(request, access, schedule, version, *, publish_form=None, status=200) -> HttpResponse:
    program = access.program
    summary = version_change_summary(version=version)
    messages = (
        summary.messages if summary else [v.message for v in version_violations(version=version)]
    )
    violations = len(messages)
    history = schedule_history_weeks(schedule=schedule)
    year = schedule.academic_year
    events = list(history_for_version(version=version)[:PAGE_EVENTS])
    for event in events:
        event.change = event_change(event)
    undoable = version.is_editable and any(
        e.kind in versions.UNDOABLE and not hasattr(e, "reverted_by") for e in events
    )
    context = {
        "program": program,
        "access": access,
        "schedule": schedule,
        "year": year,
        "version": version,
        "verdict": version_verdict(version=version),
        "summary": summary,
        "violation_count": violations,
        "violation_messages": messages[:MESSAGES_SHOWN],
        "violation_more": max(0, violations - MESSAGES_SHOWN),
        "history_weeks": history,
        "history_until": year.week_start(history) if 0 < history < year.weeks else None,
        "events": events,
        "undoable": undoable,
        "can_publish": versions.user_may_publish(program=program, user=request.user),
        "can_override": versions.user_may_override(program=program, user=request.user),
        "publish_form": publish_form or PublishForm(),
        "submit_form": SubmitForm(),
        "replan_form": ReplanForm(),
        "published": schedule.published_version,
    }
    return render(request, "scheduling/version.html", context, status=status)


@login_required
def version_detail(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """One version: what it changes against the published one (cells, residents, hard rules
    before and after), its history, and the actions (publish, submit, re-plan, undo)."""
    access, schedule, version = _target(request, slug, year, number)
    return _page(request, access, schedule, version)


@login_required
@require_POST
def version_publish(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """Publish; a version that breaks hard rules needs a director's written reason (the page
    comes back with the error on the form)."""
    access, schedule, version = _target(request, slug, year, number)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _page(request, access, schedule, version, publish_form=form, status=400)
    try:
        changes = versions.version_publish(
            version=version, by=request.user, override_reason=form.cleaned_data["override_reason"]
        )
    except ValidationError as error:
        form.add_error("override_reason", " ".join(error.messages))
        return _page(request, access, schedule, version, publish_form=form, status=400)
    messages.success(
        request,
        f"Version {version.number} is published. "
        f"{len(changes)} resident(s) were told what changed.",
    )
    return redirect(_version_url(slug, year, number))


@login_required
@require_POST
def version_submit(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    _access, _schedule, version = _target(request, slug, year, number)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            versions.version_submit(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Version {version.number} was submitted; the directors are told."
            )
    else:
        messages.error(request, "The note is too long.")
    return redirect(_version_url(slug, year, number))


@login_required
@require_POST
def version_undo(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """Undo the draft's newest edit not undone yet (one per click)."""
    _access, _schedule, version = _target(request, slug, year, number)
    try:
        event = versions.version_undo_last(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Undone: {event.reverts.subject}.")
    return redirect(_version_url(slug, year, number))


@login_required
@require_POST
def replan(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """Start a minimal-change re-plan of the published version; follow it on the job page."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    form = ReplanForm(request.POST)
    back = (
        _version_url(slug, year, schedule.published_version.number)
        if schedule.published_version
        else reverse("scheduling:grid", args=[slug, year])
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect(back)
    try:
        job = builds.schedule_replan(schedule=schedule, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return redirect("scheduling:job", slug=slug, year=year, job_id=job.pk)


@login_required
def cell_history(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """One cell's events, newest first: the grid's side panel (a partial, for htmx/fetch)."""
    access, schedule, version = _target(request, slug, year, number)
    form = CellRefForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which cell: resident and week.")
    resident = Resident.objects.filter(
        program=access.program, pk=form.cleaned_data["resident"]
    ).first()
    if resident is None:
        raise Http404("No such resident.")
    week = form.cleaned_data["week"]
    events = list(history_for_cell(version=version, resident=resident, week=week)[:50])
    for event in events:
        event.change = event_change(event)
    return render(
        request,
        "scheduling/_cell_history.html",
        {
            "program": access.program,
            "version": version,
            "resident": resident,
            "week": week,
            "week_start": schedule.academic_year.week_start(week),
            "events": events,
        },
    )


@login_required
def events_export(
    request: HttpRequest, slug: str, year: str, number: int, fmt: str
) -> HttpResponse:
    """The version's events as CSV (safe cells) or JSON."""
    _access, _schedule, version = _target(request, slug, year, number)
    if fmt not in ("csv", "json"):
        raise Http404("Unknown format.")
    events: list[Event] = list(history_for_version(version=version))
    body = events_csv(events) if fmt == "csv" else events_json(events)
    response = HttpResponse(body, content_type="text/csv" if fmt == "csv" else "application/json")
    name = f"{slug}-{year}-v{version.number}-history.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
