"""Mentoring pages: the start page for each role, and a mentorship's page.

Every view reaches mentoring data through `mentoring.access`; meetings reach templates only
as `MeetingView`s built for the viewer (see `mentoring.selectors.mentorships`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mentoring.access import MentoringNeed, Viewer, mentoring_access, mentorship_for_user
from mentoring.forms import ProposeForm
from mentoring.models import Meeting
from mentoring.selectors.mentorships import (
    director_dashboard,
    meeting_views,
    mentor_dashboard,
    mentorship_cadence,
    resident_mentoring,
)
from programs.access import ProgramAccess
from programs.clock import program_today


def page(
    request: HttpRequest, template: str, access: ProgramAccess, *, status: int = 200, **context
) -> HttpResponse:
    """Render a mentoring page with the program and the access every template needs."""
    context.update(program=access.program, access=access)
    context.setdefault("today", program_today(access.program))
    return render(request, template, context, status=status)


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: by field where the form has the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Route by role: managers get the program dashboard, mentors their mentees, residents
    their own page; anyone else a short explanation."""
    access = mentoring_access(request.user, slug)
    if access.can_manage:
        dashboard = director_dashboard(program=access.program)
        # With nobody unpaired, proposing for them would draft nothing: offer the program.
        everyone_paired = not dashboard["unpaired"]
        initial = {"scope": "all", "keep_existing": False} if everyone_paired else {}
        return page(
            request,
            "mentoring/director_dashboard.html",
            access,
            tab="program",
            propose_form=ProposeForm(initial=initial),
            everyone_paired=everyone_paired,
            propose_open=request.GET.get("propose") == "all",
            **dashboard,
        )
    if access.faculty is not None:
        return _mentor_page(request, access)
    if access.resident is not None:
        return _resident_page(request, access)
    return page(request, "mentoring/no_role.html", access, tab=None)


def _mentor_page(request: HttpRequest, access: ProgramAccess) -> HttpResponse:
    context = mentor_dashboard(faculty=access.faculty, today=program_today(access.program))
    return page(
        request,
        "mentoring/mentor_dashboard.html",
        access,
        tab="mentor",
        faculty=access.faculty,
        **context,
    )


def _resident_page(request: HttpRequest, access: ProgramAccess) -> HttpResponse:
    context = resident_mentoring(resident=access.resident, today=program_today(access.program))
    return page(
        request,
        "mentoring/resident_home.html",
        access,
        tab="resident",
        resident=access.resident,
        **context,
    )


@login_required
def mentor_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The mentor's own page, for a director who also mentors (403 for non-mentors)."""
    access = mentoring_access(request.user, slug)
    if access.faculty is None:
        raise PermissionDenied("You are not a mentor in this program.")
    return _mentor_page(request, access)


@login_required
def resident_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The resident's own mentoring page (403 for people who are not residents here)."""
    access = mentoring_access(request.user, slug)
    if access.resident is None:
        raise PermissionDenied("You are not a resident in this program.")
    return _resident_page(request, access)


@login_required
def mentorship_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A mentorship and its meetings, as the viewer may see them: everything for its mentor,
    the shared parts for its resident, metadata for managers."""
    access = mentoring_access(request.user, slug)
    granted = mentorship_for_user(access, pk, MentoringNeed.METADATA)
    mentorship = granted.mentorship
    meetings = meeting_views(
        meetings=Meeting.objects.filter(mentorship=mentorship), viewer=granted.viewer
    )
    return page(
        request,
        "mentoring/mentorship_detail.html",
        access,
        tab={Viewer.MENTOR: "mentor", Viewer.RESIDENT: "resident"}.get(granted.viewer, "program"),
        granted=granted,
        mentorship=mentorship,
        cadence=mentorship_cadence(mentorship=mentorship) if mentorship.is_active else None,
        meetings=meetings,
    )
