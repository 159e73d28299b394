"""Set-up pages: tracks, rotations (with staffing), requirements and academic years.

Thin views: the access helper (Need.MANAGE: directors, associate directors, coordinators),
a form that checks the record with the bundle's rules, a service that saves it and records
the history. A POST with `_validate` (htmx, on each change) re-renders the form with its
errors and saves nothing. A rotation change that would make a working schedule break a hard
rule is shown first and saved only once confirmed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from programs.access import Need, program_for_user
from programs.models import AcademicYear, Requirement, Rotation, Track
from programs.selectors_setup import (
    requirements_list,
    rotations_list,
    tracks_list,
    years_list,
)
from programs.services import setup as services
from programs.setup_forms import (
    RequirementForm,
    RotationForm,
    StaffingFormSet,
    TrackForm,
    YearForm,
    staffing_initial,
)
from programs.validators import READABLE_PALETTE


def _manage(request: HttpRequest, slug: str):
    return program_for_user(request.user, slug, Need.MANAGE)


def validating(request: HttpRequest) -> bool:
    return request.method == "POST" and "_validate" in request.POST


def form_page(request, access, name: str, context: dict) -> HttpResponse:
    """The form page `programs/setup/<name>_form.html`, or only the list of what is wrong
    (`_errors.html`) when htmx validates the form inline, so no input is replaced while the
    user types."""
    context = {"program": access.program, "access": access, **context}
    if request.headers.get("HX-Request") and validating(request):
        return render(request, "programs/setup/_errors.html", context)
    return render(request, f"programs/setup/{name}_form.html", context)


def _impact(request, access, section: str, form, **where) -> list:
    """What the change in `form` would break in the schedules being worked on; empty once
    the user confirmed it ("Save anyway")."""
    from scheduling.impact import change_impact  # scheduling depends on programs, not back

    if "confirm" in request.POST:
        return []
    record = form.record(form.cleaned_data)
    return change_impact(program=access.program, section=section, record=record, **where)


def _delete(request, access, *, what: str, delete, done: str, back: str) -> HttpResponse:
    """The confirm page (GET) and the deletion (POST) of one set-up record: ``delete()``
    runs the service; a record in use is refused with the service's reason, on ``back``."""
    if request.method == "POST":
        try:
            delete()
        except services.InUse as error:
            messages.error(request, f"Not deleted: {error}.")
            return redirect(back, slug=access.program.slug)
        messages.success(request, done)
        return redirect(back, slug=access.program.slug)
    context = {"program": access.program, "access": access, "what": what}
    return render(request, "programs/setup/confirm_delete.html", context)


# Tracks -----------------------------------------------------------------------------------


@login_required
def tracks(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/tracks.html",
        {
            "program": access.program,
            "access": access,
            "tracks": tracks_list(program=access.program),
        },
    )


def _track(access, code: str) -> Track:
    track = Track.objects.for_program(access.program).filter(code=code).first()
    if track is None:
        raise Http404("No such track.")
    return track


@login_required
def track_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """The track form; with htmx and `row` (GET) or `_row` (POST), the same form as one row
    of the tracks list, edited in place."""
    access = _manage(request, slug)
    track = _track(access, code) if code else None
    in_row = bool(request.headers.get("HX-Request")) and track is not None
    in_row = in_row and ("row" in request.GET or "_row" in request.POST)
    form = TrackForm(request.POST or None, program=access.program, instance=track)
    impact = []
    saving = request.method == "POST" and form.is_valid() and not validating(request)
    if saving and track is not None:
        impact = _impact(request, access, "tracks", form, replaces=track.code)
    if saving and not impact:
        values = {
            "code": form.cleaned_data["code"],
            "name": form.cleaned_data["name"],
            "ambulatory": form.band(),
            "by": request.user,
        }
        if track is None:
            services.track_create(program=access.program, **values)
        else:
            services.track_update(track=track, **values)
        if in_row:
            row = next(t for t in tracks_list(program=access.program) if t.pk == track.pk)
            context = {"program": access.program, "t": row}
            return render(request, "programs/setup/_track_row.html", context)
        messages.success(request, f"Track {values['code']} saved.")
        return redirect("programs:setup_tracks", slug=slug)
    context = {"form": form, "track": track, "impact": impact}
    if in_row:
        context["program"] = access.program
        return render(request, "programs/setup/_track_row_form.html", context)
    return form_page(request, access, "track", context)


@login_required
def track_delete(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    access = _manage(request, slug)
    track = _track(access, code)
    return _delete(
        request,
        access,
        what=f"track {track}",
        delete=lambda: services.track_delete(track=track, by=request.user),
        done=f"Track {code} deleted.",
        back="programs:setup_tracks",
    )


# Rotations --------------------------------------------------------------------------------


@login_required
def rotations(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/rotations.html",
        {
            "program": access.program,
            "access": access,
            "rotations": rotations_list(program=access.program),
        },
    )


def _rotation(access, code: str) -> Rotation:
    rotation = (
        Rotation.objects.for_program(access.program)
        .prefetch_related("staffing")
        .filter(code=code)
        .first()
    )
    if rotation is None:
        raise Http404("No such rotation.")
    return rotation


@login_required
def rotation_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    access = _manage(request, slug)
    rotation = _rotation(access, code) if code else None
    data = request.POST or None
    staffing = StaffingFormSet(data, initial=staffing_initial(rotation), prefix="staffing")
    if data is not None:
        staffing.is_valid()
    form = RotationForm(data, program=access.program, instance=rotation, staffing=staffing)
    impact = []
    valid = request.method == "POST" and form.is_valid() and staffing.is_valid()
    if valid and not validating(request):
        if rotation is not None:
            impact = _impact(request, access, "rotations", form, replaces=rotation.code)
        if not impact:
            values = form.values()
            if rotation is None:
                services.rotation_create(
                    program=access.program,
                    values=values,
                    staffing=staffing.rules(),
                    by=request.user,
                )
            else:
                services.rotation_update(
                    rotation=rotation, values=values, staffing=staffing.rules(), by=request.user
                )
            messages.success(request, f"Rotation {values['code']} saved.")
            return redirect("programs:setup_rotations", slug=slug)
    return form_page(
        request,
        access,
        "rotation",
        {
            "form": form,
            "staffing": staffing,
            "rotation": rotation,
            "palette": READABLE_PALETTE,
            "impact": impact,
        },
    )


@login_required
def rotation_delete(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    access = _manage(request, slug)
    rotation = _rotation(access, code)
    return _delete(
        request,
        access,
        what=f"rotation {rotation}",
        delete=lambda: services.rotation_delete(rotation=rotation, by=request.user),
        done=f"Rotation {code} deleted.",
        back="programs:setup_rotations",
    )


# Requirements -----------------------------------------------------------------------------


@login_required
def requirements(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/requirements.html",
        {
            "program": access.program,
            "access": access,
            "requirements": requirements_list(program=access.program),
        },
    )


def _requirement(access, pk: int) -> Requirement:
    requirement = Requirement.objects.for_program(access.program).filter(pk=pk).first()
    if requirement is None:
        raise Http404("No such requirement.")
    return requirement


@login_required
def requirement_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = _manage(request, slug)
    requirement = _requirement(access, pk) if pk else None
    form = RequirementForm(request.POST or None, program=access.program, instance=requirement)
    impact = []
    if request.method == "POST" and form.is_valid() and not validating(request):
        impact = _impact(request, access, "requirements", form, **form.replaces())
    if request.method == "POST" and form.is_valid() and not validating(request) and not impact:
        cleaned = form.cleaned_data
        values = {
            "tracks": None if cleaned["all_tracks"] else list(cleaned["tracks"]),
            "pgy": cleaned["pgy"],
            "rotations": list(cleaned["rotations"]),
            "min_weeks": cleaned["min_weeks"],
            "max_weeks": cleaned["max_weeks"],
            "by": request.user,
        }
        if requirement is None:
            services.requirement_create(program=access.program, **values)
        else:
            services.requirement_update(requirement=requirement, **values)
        messages.success(request, "Requirement saved.")
        return redirect("programs:setup_requirements", slug=slug)
    return form_page(
        request,
        access,
        "requirement",
        {"form": form, "requirement": requirement, "impact": impact},
    )


@login_required
def requirement_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = _manage(request, slug)
    requirement = _requirement(access, pk)
    return _delete(
        request,
        access,
        what=str(requirement),
        delete=lambda: services.requirement_delete(requirement=requirement, by=request.user),
        done="Requirement deleted.",
        back="programs:setup_requirements",
    )


# Academic years ---------------------------------------------------------------------------


@login_required
def years(request: HttpRequest, slug: str) -> HttpResponse:
    access = _manage(request, slug)
    return render(
        request,
        "programs/setup/years.html",
        {"program": access.program, "access": access, "years": years_list(program=access.program)},
    )


def _year(access, name: str) -> AcademicYear:
    year = AcademicYear.objects.for_program(access.program).filter(name=name).first()
    if year is None:
        raise Http404("No such academic year.")
    return year


@login_required
def year_edit(request: HttpRequest, slug: str, name: str | None = None) -> HttpResponse:
    access = _manage(request, slug)
    year = _year(access, name) if name else None
    form = YearForm(request.POST or None, program=access.program, instance=year)
    if request.method == "POST" and form.is_valid() and not validating(request):
        values = {key: form.cleaned_data[key] for key in ("name", "start", "weeks")}
        try:
            if year is None:
                services.year_create(program=access.program, by=request.user, **values)
            else:
                services.year_update(year=year, by=request.user, **values)
        except services.InUse as error:
            form.add_error("start", str(error))
        else:
            messages.success(request, f"Academic year {values['name']} saved.")
            return redirect("programs:setup_years", slug=slug)
    return form_page(request, access, "year", {"form": form, "year": year})


@login_required
def year_delete(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    access = _manage(request, slug)
    year = _year(access, name)
    return _delete(
        request,
        access,
        what=f"academic year {year}",
        delete=lambda: services.year_delete(year=year, by=request.user),
        done=f"Academic year {name} deleted.",
        back="programs:setup_years",
    )
