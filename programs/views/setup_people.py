"""Set-up pages for people and whole programs: the roster in the app (residents, faculty), a
new program, a copy, and the program's set-up history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from history.models import Event
from history.selectors import history_for_program
from programs.access import Need, program_for_user
from programs.bundle.problems import BundleInvalid
from programs.models import Faculty, Resident, Role
from programs.selectors_setup import faculty_list, residents_list, template_use
from programs.services import setup_people as services
from programs.setup_forms import (
    CopyForm,
    FacultyForm,
    ProgramForm,
    ProgramSettingsForm,
    ResidentForm,
)
from programs.views.setup import form_page, validating
from scheduling import xy

SETUP_KINDS = [Event.Kind.SETUP_CREATED, Event.Kind.SETUP_CHANGED, Event.Kind.SETUP_DELETED]
#: Weeks of the phase-pattern preview on the new-program page.
PREVIEW_WEEKS = 15


def _manage(request: HttpRequest, slug: str):
    return program_for_user(request.user, slug, Need.MANAGE)


# Residents --------------------------------------------------------------------------------


@login_required
def residents(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/residents.html",
        {
            "program": access.program,
            "access": access,
            "residents": residents_list(program=access.program),
        },
    )


def _resident(access, pk: int) -> Resident:
    resident = Resident.objects.for_program(access.program).filter(pk=pk).first()
    if resident is None:
        raise Http404("No such resident.")
    return resident


@login_required
def resident_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = _manage(request, slug)
    resident = _resident(access, pk) if pk else None
    form = ResidentForm(request.POST or None, program=access.program, instance=resident)
    if request.method == "POST" and form.is_valid() and not validating(request):
        if resident is None:
            services.resident_create(program=access.program, values=form.values(), by=request.user)
        else:
            services.resident_update(resident=resident, values=form.values(), by=request.user)
        messages.success(request, f"{form.cleaned_data['name']} saved.")
        return redirect("programs:setup_residents", slug=slug)
    return form_page(request, access, "resident", {"form": form, "resident": resident})


@login_required
def resident_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the resident graduated or withdrew; kept in the database, off the roster."""
    access = _manage(request, slug)
    resident = _resident(access, pk)
    status = request.POST.get("status", Resident.Status.WITHDRAWN)
    if request.method != "POST" or status not in (
        Resident.Status.GRADUATED,
        Resident.Status.WITHDRAWN,
    ):
        return render(
            request,
            "programs/setup/resident_deactivate.html",
            {"program": access.program, "access": access, "resident": resident},
        )
    services.resident_deactivate(resident=resident, status=status, by=request.user)
    messages.success(
        request, f"{resident.name} is off the roster ({resident.get_status_display()})."
    )
    return redirect("programs:setup_residents", slug=slug)


# Faculty ----------------------------------------------------------------------------------


@login_required
def faculty(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/faculty.html",
        {
            "program": access.program,
            "access": access,
            "faculty": faculty_list(program=access.program),
        },
    )


def _member(access, pk: int) -> Faculty:
    member = Faculty.objects.for_program(access.program).filter(pk=pk).first()
    if member is None:
        raise Http404("No such faculty member.")
    return member


@login_required
def faculty_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = _manage(request, slug)
    member = _member(access, pk) if pk else None
    form = FacultyForm(request.POST or None, program=access.program, instance=member)
    if request.method == "POST" and form.is_valid() and not validating(request):
        if member is None:
            services.faculty_create(program=access.program, values=form.values(), by=request.user)
        else:
            services.faculty_update(member=member, values=form.values(), by=request.user)
        messages.success(request, f"{form.cleaned_data['name']} saved.")
        return redirect("programs:setup_faculty", slug=slug)
    return form_page(request, access, "faculty", {"form": form, "member": member})


@login_required
def faculty_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the faculty member left or stopped mentoring; kept, no longer paired."""
    access = _manage(request, slug)
    member = _member(access, pk)
    if request.method != "POST":
        return render(
            request,
            "programs/setup/faculty_deactivate.html",
            {
                "program": access.program,
                "access": access,
                "member": member,
                "mentees": member.mentorships.filter(ended_on__isnull=True).count(),
            },
        )
    services.faculty_deactivate(member=member, by=request.user)
    messages.success(request, f"{member.name} is off the mentoring roster.")
    return redirect("programs:setup_faculty", slug=slug)


# Programs ---------------------------------------------------------------------------------


def may_create_programs(user) -> bool:
    """Site operators, and directors (an invited director sets up their next program)."""
    return user.is_superuser or Role.objects.filter(user=user, kind=Role.Kind.DIRECTOR).exists()


def phase_preview(*, x_weeks: int, y_weeks: int, cohorts: int, weeks: int = PREVIEW_WEEKS):
    """Each cohort's phase ("x"/"y") over the first `weeks` weeks, or None for a template
    whose cohorts do not divide its cycle (the form says why)."""
    try:
        xy.cohort_step(x_weeks=x_weeks, y_weeks=y_weeks, cohorts=cohorts)
    except ValueError:
        return None
    kw = {"x_weeks": x_weeks, "y_weeks": y_weeks, "cohorts": cohorts}
    return [(cohort, xy.phases(weeks, cohort, **kw)) for cohort in range(cohorts)]


def _preview_from(form: ProgramForm):
    try:
        values = {
            name: int(form.data.get(name) or form.fields[name].initial)
            for name in ("x_weeks", "y_weeks", "cohorts")
        }
    except (TypeError, ValueError):
        return None
    if not all(1 <= value <= 52 for value in values.values()):
        return None
    return phase_preview(**values)


@login_required
def program_new(request: HttpRequest) -> HttpResponse:
    if not may_create_programs(request.user):
        raise PermissionDenied("Only site operators and program directors create programs.")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not validating(request):
        program = services.program_create(
            **{name: form.cleaned_data[name] for name in form.fields}, by=request.user
        )
        messages.success(request, f"{program.name} created. Next: its tracks.")
        return redirect("programs:overview", slug=program.slug)
    context = {"form": form, "preview": _preview_from(form), "preview_weeks": range(1, 16)}
    if request.headers.get("HX-Request") and validating(request):
        return render(request, "programs/setup/_program_preview.html", context)
    return render(request, "programs/setup/program_form.html", context)


def _settings_preview(form: ProgramSettingsForm, program):
    """The phase pattern of the template typed in (or the program's own, before any POST)."""
    names = ("x_weeks", "y_weeks", "cohorts")
    values = {name: getattr(program, name) for name in names}
    if form.is_bound:
        try:
            values = {name: int(form.data.get(name, "")) for name in names}
        except ValueError:
            return None
    if not all(1 <= value <= 52 for value in values.values()):
        return None
    return phase_preview(**values)


@login_required
def program_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Name, institution, time zone and the X+Y template, checked with the bundle's rules; the
    template is locked (with the reason) once a year has schedule versions."""
    access = _manage(request, slug)
    program = access.program
    form = ProgramSettingsForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid() and not validating(request):
        try:
            services.program_settings_update(
                program=program, values=form.cleaned_data, by=request.user
            )
        except services.TemplateInUse as error:
            form.add_error("cohorts", f"The X+Y template cannot change: {error}.")
        else:
            messages.success(request, "Program settings saved.")
            return redirect("programs:setup_program", slug=slug)
    context = {
        "form": form,
        "locked": template_use(program=program),
        "preview": _settings_preview(form, program),
        "preview_weeks": range(1, PREVIEW_WEEKS + 1),
    }
    if request.headers.get("HX-Request") and validating(request):
        return render(request, "programs/setup/_errors.html", context | {"program": program})
    return form_page(request, access, "program_settings", context)


@login_required
def program_copy(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    program = access.program
    form = CopyForm(
        request.POST or None,
        initial={"name": f"{program.name} (copy)", "slug": f"{program.slug}-copy"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.program_copy(program=program, by=request.user, **form.cleaned_data)
        except BundleInvalid as error:
            for line in error.lines():
                form.add_error(None, line)
        else:
            messages.success(request, f"{copy.name} is a copy of {program.name}.")
            return redirect("programs:overview", slug=copy.slug)
    return render(
        request, "programs/setup/copy.html", {"program": program, "access": access, "form": form}
    )


@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's set-up changes, newest first (a constant number of queries)."""
    access = _manage(request, slug)
    events = list(history_for_program(program=access.program, kinds=SETUP_KINDS)[:300])
    rows = [(event, event_changes(event)) for event in events]
    return render(
        request,
        "programs/setup/history.html",
        {"program": access.program, "access": access, "events": events, "rows": rows},
    )


def event_changes(event: Event) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field the event changed; every field of a creation
    or a deletion."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        (key, before.get(key), after.get(key))
        for key in keys
        if not (before and after) or before.get(key) != after.get(key)
    ]
