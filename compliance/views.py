"""Compliance pages: the program dashboard, a resident's balance, the coverage heatmap.

They show what the Celery jobs stored (`ComplianceRun`, `Finding`); the only compute they
start is "Recompute now", which queues a job. Each page runs a fixed number of queries
whatever the roster's size.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from compliance import services as compliance_services
from compliance.engine import ComplianceSettings
from compliance.facts import schedule_counting_version, year_for_date
from compliance.forms import ComplianceLimitsForm, FindingFilterForm
from compliance.presenters import (
    balance_page,
    dashboard_charts,
    finding_rows,
    heat_lines,
    limit_rows,
    rule_guide,
    share_bar,
)
from compliance.selectors import (
    compliance_years,
    program_limit_overrides,
    resident_stored_compliance,
    run_findings,
    run_latest,
    run_rule_counts,
    run_rule_ids,
    run_trend,
    run_worst_residents,
    year_schedule,
)
from programs.access import Need, program_for_user, resident_for_user
from programs.clock import program_today
from programs.models import AcademicYear, Track
from scheduling.selectors import version_coverage

FINDINGS_PER_PAGE = 100


def _pick_year(
    years: list[AcademicYear], name: str | None, today: datetime.date
) -> AcademicYear | None:
    """The year asked for; else the one containing today, else the latest."""
    if name:
        for year in years:
            if year.name == name:
                return year
    for year in years:
        if year.start <= today <= year.end:
            return year
    return years[-1] if years else None


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A program-year's compliance for schedulers: counts, trend, worst residents, findings,
    and the limits in force (editable by managers). POST "recompute" queues a manual run;
    POST "limits" saves the limits and marks the program's schedules for a new run."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    program = access.program
    years = compliance_years(program=program)
    chosen = request.GET.get("year") or request.POST.get("year")
    year = _pick_year(years, chosen, program_today(program))
    schedule = year_schedule(year) if year else None
    settings_error = ""
    overrides = program_limit_overrides(program=program)
    try:
        in_force = ComplianceSettings.from_overrides(overrides)
    except ValueError as error:  # stored by hand outside the form: show it, use the defaults
        in_force, settings_error = ComplianceSettings(), str(error)
    limits_form = ComplianceLimitsForm(in_force=in_force) if access.can_manage else None
    here = reverse("compliance:dashboard", args=[slug]) + (f"?year={year.name}" if year else "")

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recompute":
            if schedule is None:
                messages.error(request, "This year has no schedule to check yet.")
            else:
                compliance_services.compliance_recompute_request(schedule=schedule)
                messages.success(request, f"A new compliance check of {year.name} is on its way.")
            return redirect(here)
        if action == "limits":
            if not access.can_manage:
                raise PermissionDenied("Only the program's directors and coordinators edit limits.")
            limits_form = ComplianceLimitsForm(request.POST, in_force=in_force)
            if limits_form.is_valid():
                try:
                    compliance_services.compliance_settings_update(
                        program=program, overrides=limits_form.overrides(), by=request.user
                    )
                except ValidationError as error:
                    limits_form.add_error(None, error)
                else:
                    messages.success(
                        request, "Limits saved. Every schedule of the program is being checked."
                    )
                    return redirect(here + "#limits")
        else:
            return HttpResponse("Unknown action.", status=400)

    context = {
        "program": program,
        "access": access,
        "years": years,
        "year": year,
        "schedule": schedule,
        "limit_rows": limit_rows(set(overrides), in_force),
        "limits_form": limits_form,
        "settings_error": settings_error,
        "open_limits": request.method == "POST",
    }
    if schedule is not None:
        context.update(_run_context(request, schedule, program))
    return render(request, "compliance/dashboard.html", context)


def _run_context(request: HttpRequest, schedule, program) -> dict:
    run = run_latest(schedule=schedule)
    context = {"run": run, "dirty": schedule.compliance_dirty}
    if run is None:
        return context
    tracks = list(Track.objects.for_program(program).values_list("code", "name"))
    rule_ids = run_rule_ids(run=run)
    filter_form = FindingFilterForm(request.GET, rules=rule_ids, tracks=tracks)
    filters = filter_form.filters()
    findings = run_findings(run=run, **filters)
    page = Paginator(findings, FINDINGS_PER_PAGE).get_page(request.GET.get("page"))
    trend = run_trend(schedule=schedule)
    by_rule = run_rule_counts(run=run)
    query = request.GET.copy()
    query.pop("page", None)
    floor = ((run.figures or {}).get("limits") or {}).get("ambulatory_floor", 1 / 3)
    worst = run_worst_residents(run=run, limit=None)  # every resident stays reachable
    for row in worst:
        row["bar"] = share_bar(row["share"], row["band"], floor)
    return context | {
        "filter_form": filter_form,
        "filtering": any(filters.values()),
        "page": page,
        "finding_rows": finding_rows(page.object_list),
        "rule_guide": rule_guide(rule_ids),
        "query": query.urlencode(),
        "worst": worst,
        "resident_count": len((run.figures or {}).get("residents", {})),
        "chart_data": dashboard_charts(trend, by_rule),
    }


@login_required
def resident_balance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One resident's balance: this year and cumulative against the targets, as charts, and
    their findings. A resident sees only themselves; the roster side sees everyone."""
    access = program_for_user(request.user, slug, Need.VIEW)
    resident = resident_for_user(access, pk)
    stored = resident_stored_compliance(resident=resident)
    years = list(AcademicYear.objects.for_program(access.program).order_by("start"))
    current = year_for_date(years, program_today(access.program))
    context = {
        "program": access.program,
        "access": access,
        "resident": resident,
        "findings": stored["findings"],
        "finding_rows": finding_rows(stored["findings"]),
        "stored": stored["run"],
    }
    if stored["run"] is not None:
        context.update(balance_page(stored["run"], resident, current, stored["findings"]))
    return render(request, "compliance/resident_balance.html", context)


@login_required
def heatmap(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """Weeks x rotation staffing of the version that counts (published, else the newest
    draft), each cell coloured by staffed against the rule's minimum and maximum."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    academic_year = (
        AcademicYear.objects.filter(program=access.program, name=year)
        .select_related("schedule")
        .first()
    )
    if academic_year is None:
        raise Http404("No such academic year.")
    schedule = year_schedule(academic_year)
    version = schedule_counting_version(schedule=schedule) if schedule else None
    context = {
        "program": access.program,
        "access": access,
        "year": academic_year,
        "version": version,
        "weeks": [academic_year.week_start(w) for w in range(academic_year.weeks)],
        "current_week": academic_year.week_index(program_today(access.program)),
    }
    if version is not None:
        context.update(heat_lines(version_coverage(version=version), academic_year.weeks))
    return render(request, "compliance/heatmap.html", context)
