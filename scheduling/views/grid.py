"""The schedule pages for builders: years and versions, the grid, cell edits, publishing."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs.access import Need, program_for_user
from programs.models import AcademicYear, Resident, Rotation
from scheduling.access import schedule_for_access, version_for_access
from scheduling.forms import BuildForm, CellForm, PinForm
from scheduling.grid_html import cell_html, grid_rows_html
from scheduling.hard_rules import Violation, rule_title
from scheduling.models import BuildJob, Schedule, ScheduleVersion
from scheduling.selectors import (
    schedule_history_weeks,
    version_grid,
    version_verdict,
    version_violations,
)
from scheduling.services import versions
from scheduling.xy import is_y_week


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Every academic year with its versions and latest builds."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    years = list(AcademicYear.objects.for_program(access.program).order_by("start"))
    schedules = {
        s.academic_year_id: s
        for s in Schedule.objects.filter(program=access.program).prefetch_related("versions")
    }
    jobs = {}
    for job in BuildJob.objects.filter(schedule__program=access.program).order_by("-created_at"):
        jobs.setdefault(job.schedule_id, job)
    rows = []
    for year in years:
        schedule = schedules.get(year.pk)
        versions = sorted(schedule.versions.all(), key=lambda v: -v.number) if schedule else []
        rows.append(
            {
                "year": year,
                "versions": versions,
                "job": jobs.get(schedule.pk) if schedule else None,
            }
        )
    return render(
        request,
        "scheduling/index.html",
        {"program": access.program, "access": access, "rows": rows},
    )


def _flagged_cells(
    violations: list[Violation], pk_by_external: dict[str, int]
) -> tuple[set[tuple[int, int]], set[int]]:
    cells: set[tuple[int, int]] = set()
    weeks: set[int] = set()
    for v in violations:
        if v.resident_id is None:
            weeks.update(v.weeks)
            continue
        pk = pk_by_external.get(v.resident_id)
        if pk is not None:
            cells.update((pk, w) for w in v.weeks)
    return cells, weeks


def _violation_rows(violations: list[Violation], pk_by_external: dict[str, int]) -> list[dict]:
    """Each violation as the page lists it: its rule's title, its sentence, and the id of
    the cell (or, for a rule of the whole week, the week's header) that its link focuses."""
    rows = []
    for v in violations:
        pk = pk_by_external.get(v.resident_id) if v.resident_id else None
        first = v.weeks[0] if v.weeks else None
        if pk is not None and first is not None:
            target = f"c-{pk}-{first}"
        elif pk is not None:
            target = f"c-{pk}-0"
        elif first is not None:
            target = f"w-{first}"
        else:
            target = ""
        rows.append({"title": rule_title(v.rule), "message": v.message, "target": target})
    return rows


def _violations_context(version: ScheduleVersion) -> dict:
    violations = version_violations(version=version)
    pk_by_external = dict(
        Resident.objects.filter(program=version.schedule.program).values_list("external_id", "pk")
    )
    cells, weeks = _flagged_cells(violations, pk_by_external)
    by_rule: dict[str, int] = {}
    for v in violations:
        title = rule_title(v.rule)
        by_rule[title] = by_rule.get(title, 0) + 1
    return {
        "violations": _violation_rows(violations[:200], pk_by_external),
        "violation_count": len(violations),
        "violations_by_rule": sorted(by_rule.items()),
        "flagged_cells": cells,
        "flagged_json": json.dumps(
            {"cells": [f"c-{r}-{w}" for r, w in sorted(cells)], "weeks": sorted(weeks)}
        ),
        "flagged_weeks": weeks,
    }


@login_required
def grid(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """The director's grid: residents x weeks, coloured by rotation, with rule breaks marked."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, _int(request.GET.get("v")))
    filters = {
        "pgy": _int(request.GET.get("pgy")),
        "track": request.GET.get("track") or None,
        "cohort": _int(request.GET.get("cohort")),
    }
    context = {
        "program": access.program,
        "access": access,
        "schedule": schedule,
        "year": schedule.academic_year,
        "version": version,
        "filters": filters,
        "versions": list(schedule.versions.order_by("-number")),
        "build_form": BuildForm(
            history_weeks=schedule_history_weeks(schedule=schedule),
            weeks=schedule.academic_year.weeks,
        ),
        "tracks": list(access.program.tracks.all()),
        "cohort_choices": range(access.program.cohorts),
        "running_job": schedule.build_jobs.filter(status__in=["queued", "running"]).first(),
    }
    if version is not None:
        table = version_grid(version=version, **filters)
        context.update(_violations_context(version))
        context["verdict"] = version_verdict(version=version)
        context["grid"] = table
        context["rotations"] = list(table.rotations.values())
        context["grid_meta"] = {
            "rotations": {
                code: {"name": r.name, "phase": r.phase} for code, r in table.rotations.items()
            },
            "weeks": [w.isoformat() for w in table.weeks],
            "current": table.current_week,
            "editable": version.is_editable,
        }
        context["rows_html"] = grid_rows_html(
            table,
            flagged=context["flagged_cells"],
            editable=version.is_editable,
            resident_url=reverse("programs:resident_detail", args=[slug, 0]),
            wishes_url=reverse("scheduling:wishes", args=[slug, year, version.number, 0]),
        )
    return render(request, "scheduling/grid.html", context)


def _edit_target(request, slug: str, year: str, number: int):
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, number)
    return access, schedule, version


@login_required
@require_POST
def cell_edit(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """Change one cell of a draft; answers the new cell and the refreshed rule checks (htmx)."""
    access, schedule, version = _edit_target(request, slug, year, number)
    form = CellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(json.dumps(form.errors), content_type="application/json")
    resident = Resident.objects.filter(
        program=access.program, pk=form.cleaned_data["resident"]
    ).first()
    code = form.cleaned_data["rotation"]
    rotation = Rotation.objects.filter(program=access.program, code=code).first() if code else None
    if resident is None or (code and rotation is None):
        return HttpResponseBadRequest(
            json.dumps({"__all__": ["Unknown resident or rotation."]}),
            content_type="application/json",
        )
    seen = form.cleaned_data["expected"] if "expected" in request.POST else versions.UNSEEN
    try:
        versions.assignment_set(
            version=version,
            resident=resident,
            week=form.cleaned_data["week"],
            rotation=rotation,
            expected=seen,
            by=request.user,
        )
    except ValidationError as error:
        return HttpResponseBadRequest(
            json.dumps({"__all__": error.messages}), content_type="application/json"
        )
    return _cell_response(request, access, schedule, version, resident, form.cleaned_data["week"])


@login_required
@require_POST
def cell_pin(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    access, schedule, version = _edit_target(request, slug, year, number)
    form = PinForm(request.POST)
    resident = (
        Resident.objects.filter(program=access.program, pk=form.cleaned_data["resident"]).first()
        if form.is_valid()
        else None
    )
    if resident is None:
        return HttpResponseBadRequest("Unknown cell.")
    try:
        versions.assignment_pin(
            version=version,
            resident=resident,
            week=form.cleaned_data["week"],
            pinned=form.cleaned_data["pinned"],
            by=request.user,
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return _cell_response(request, access, schedule, version, resident, form.cleaned_data["week"])


def _cell_response(request, access, schedule, version, resident, week) -> HttpResponse:
    program = access.program
    assignment = (
        version.assignments.filter(resident=resident, week=week).select_related("rotation").first()
    )
    cohort = version.resident_rows.get(resident=resident).cohort
    cell = cell_html(
        resident_pk=resident.pk,
        week=week,
        code=assignment.rotation.code if assignment else None,
        color=assignment.rotation.color if assignment else None,
        pinned=assignment.pinned if assignment else False,
        is_y=is_y_week(
            week, cohort, x_weeks=program.x_weeks, y_weeks=program.y_weeks, cohorts=program.cohorts
        ),
    )
    context = {"program": program, "version": version, "year": schedule.academic_year}
    context.update(_violations_context(version))
    panel = render(request, "scheduling/_violations.html", context).content.decode()
    return JsonResponse(
        {
            "cell": str(cell),
            "panel": panel,
            "flagged": json.loads(context["flagged_json"]),
            "violations": context["violation_count"],
        }
    )


@login_required
@require_POST
def version_copy(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    _access, _schedule, version = _edit_target(request, slug, year, number)
    copy = versions.version_copy(version=version, by=request.user)
    messages.success(request, f"Draft version {copy.number} is a copy of version {version.number}.")
    return redirect(reverse("scheduling:grid", args=[slug, year]) + f"?v={copy.number}")
