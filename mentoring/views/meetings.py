"""Meeting pages: the mentor's one-form log, the meeting page, and the resident's
confirmation, reflection and action-item ticks (htmx)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mentoring.access import (
    MentoringNeed,
    Viewer,
    action_item_for_user,
    meeting_for_user,
    mentoring_access,
    mentorship_for_user,
)
from mentoring.forms import ActionItemFormSet, MeetingForm, ReflectionForm, terms_initial
from mentoring.selectors.mentorships import meeting_view, mentorship_cadence
from mentoring.services.meetings import (
    action_item_set_done,
    meeting_confirm,
    meeting_delete,
    meeting_is_editable,
    meeting_log,
    meeting_reflect,
    meeting_update,
)
from mentoring.views.home import apply_errors, page
from mentoring.vocabulary import MEETING_TOPICS
from programs.clock import program_today


@login_required
def meeting_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The mentor logs a meeting of mentorship `pk` in one form, with a few action items."""
    access = mentoring_access(request.user, slug)
    granted = mentorship_for_user(access, pk, MentoringNeed.LOG)
    mentorship = granted.mentorship
    today = program_today(access.program)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(
        data,
        today=today,
        started_on=mentorship.started_on,
        initial={"occurred_on": today, "duration_minutes": 30},
    )
    items = ActionItemFormSet(data, prefix="items")
    if data is not None and form.is_valid() and items.is_valid():
        try:
            meeting = meeting_log(
                mentorship=mentorship,
                by=request.user,
                occurred_on=form.cleaned_data["occurred_on"],
                start_time=form.cleaned_data["start_time"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                format=form.cleaned_data["format"],
                kind=form.cleaned_data["kind"],
                topics=form.topics_list(),
                goals_discussed=form.cleaned_data["goals_discussed"],
                private_notes=form.cleaned_data["private_notes"],
                action_items=[row for f in items if (row := f.as_input()) is not None],
                today=today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Meeting of {meeting.occurred_on:%-d %b %Y} with "
                f"{mentorship.resident.name} logged.",
            )
            return redirect("mentoring:mentorship_detail", slug=slug, pk=mentorship.pk)
    return page(
        request,
        "mentoring/meeting_form.html",
        access,
        tab="mentor",
        mentorship=mentorship,
        form=form,
        items=items,
        today=today,
        cadence=mentorship_cadence(mentorship=mentorship) if mentorship.is_active else None,
        status=400 if data is not None else 200,
    )


@login_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A meeting as the viewer may see it; the resident can confirm, reflect and tick."""
    access = mentoring_access(request.user, slug)
    granted = meeting_for_user(access, pk, MentoringNeed.METADATA)
    return _detail(request, access, granted, ReflectionForm)


def _detail(request, access, granted, form_class, form=None) -> HttpResponse:
    view = meeting_view(meeting=granted.meeting, viewer=granted.viewer)
    if form is None and granted.viewer is Viewer.RESIDENT:
        form = form_class(initial={"reflection": view.resident_reflection})
    return page(
        request,
        "mentoring/meeting_detail.html",
        access,
        tab={Viewer.MENTOR: "mentor", Viewer.RESIDENT: "resident"}.get(granted.viewer, "program"),
        meeting=view,
        mentorship=granted.meeting.mentorship,
        reflection_form=form,
        editable=granted.viewer is Viewer.MENTOR and meeting_is_editable(meeting=granted.meeting),
        edit_days=settings.MENTORING_MEETING_EDIT_DAYS,
    )


@login_required
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The mentor changes a meeting they logged, within the edit window (history kept)."""
    access = mentoring_access(request.user, slug)
    granted = meeting_for_user(access, pk, MentoringNeed.LOG)
    meeting = granted.meeting
    mentorship = meeting.mentorship
    today = program_today(access.program)
    editable = meeting_is_editable(meeting=meeting)
    data = request.POST if request.method == "POST" and editable else None
    chosen, other = terms_initial(list(meeting.topics or []), MEETING_TOPICS)
    form = MeetingForm(
        data,
        today=today,
        started_on=mentorship.started_on,
        initial={
            "occurred_on": meeting.occurred_on,
            "duration_minutes": meeting.duration_minutes,
            "format": meeting.format,
            "kind": meeting.kind,
            "topics": chosen,
            "topics_other": other,
            "goals_discussed": meeting.goals_discussed,
            "private_notes": meeting.private_notes,
        },
    )
    if data is not None and form.is_valid():
        try:
            meeting_update(
                meeting=meeting,
                by=request.user,
                occurred_on=form.cleaned_data["occurred_on"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                format=form.cleaned_data["format"],
                kind=form.cleaned_data["kind"],
                topics=form.topics_list(),
                goals_discussed=form.cleaned_data["goals_discussed"],
                private_notes=form.cleaned_data["private_notes"],
                today=today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Meeting of {meeting.occurred_on:%-d %b %Y} updated.")
            return redirect("mentoring:meeting_detail", slug=slug, pk=meeting.pk)
    return page(
        request,
        "mentoring/meeting_form.html",
        access,
        tab="mentor",
        mentorship=mentorship,
        meeting=meeting,
        editing=True,
        editable=editable,
        edit_days=settings.MENTORING_MEETING_EDIT_DAYS,
        form=form,
        today=today,
        status=400 if data is not None else 200,
    )


@login_required
@require_POST
def meeting_delete_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The mentor deletes a meeting they logged, within the edit window (history kept)."""
    access = mentoring_access(request.user, slug)
    granted = meeting_for_user(access, pk, MentoringNeed.LOG)
    meeting = granted.meeting
    try:
        meeting_delete(meeting=meeting, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:meeting_detail", slug=slug, pk=pk)
    messages.success(request, f"Meeting of {meeting.occurred_on:%-d %b %Y} deleted.")
    return redirect("mentoring:mentorship_detail", slug=slug, pk=meeting.mentorship_id)


@login_required
@require_POST
def meeting_confirm_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The resident confirms they attended."""
    access = mentoring_access(request.user, slug)
    granted = meeting_for_user(access, pk, MentoringNeed.RESPOND)
    meeting_confirm(meeting=granted.meeting, by=request.user)
    messages.success(request, "Attendance confirmed.")
    return redirect("mentoring:meeting_detail", slug=slug, pk=pk)


@login_required
@require_POST
def meeting_reflect_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The resident saves their reflection (which also confirms attendance)."""
    access = mentoring_access(request.user, slug)
    granted = meeting_for_user(access, pk, MentoringNeed.RESPOND)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            meeting_reflect(
                meeting=granted.meeting, by=request.user, reflection=form.cleaned_data["reflection"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Reflection saved; your mentor will see it.")
            return redirect("mentoring:meeting_detail", slug=slug, pk=pk)
    response = _detail(request, access, granted, ReflectionForm, form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def action_item_toggle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Tick an action item off or reopen it; with htmx, returns the item's row only."""
    access = mentoring_access(request.user, slug)
    item, _viewer = action_item_for_user(access, pk, MentoringNeed.TICK)
    action_item_set_done(item=item, by=request.user, done=request.POST.get("done") == "1")
    if request.htmx:
        return page(
            request,
            "mentoring/_action_item.html",
            access,
            item=item,
            show_resident=request.POST.get("show_resident") == "1",
            next_url=request.POST.get("next", ""),
            today=program_today(access.program),
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("mentoring:meeting_detail", slug=slug, pk=item.meeting_id)
