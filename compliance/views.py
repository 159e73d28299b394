"""Compliance pages: the program dashboard, a resident's balance, the coverage heatmap.

They show what the Celery jobs stored (`ComplianceRun`, `Finding`); the only compute they
start is "Recompute now", which queues a job. Each page runs a fixed number of queries
whatever the roster's size.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance import services as compliance_services
from compliance.engine import LIMITS, ComplianceSettings
from compliance.facts import (
    compliance_years,
    program_limit_overrides,
    resident_stored_compliance,
    run_findings,
    run_latest,
    run_rule_ids,
    run_trend,
    run_worst_residents,
    schedule_counting_version,
    share_state,
    year_for_date,
    year_schedule,
)
from compliance.forms import ComplianceLimitsForm, FindingFilterForm, display_value
from compliance.models import Finding
from programs.access import Need, program_for_user, resident_for_user
from programs.models import AcademicYear, Track
from scheduling.selectors import version_coverage

FINDINGS_PER_PAGE = 100


def _pick_year(years: list[AcademicYear], name: str | None) -> AcademicYear | None:
    """The year asked for; else the one containing today, else the latest."""
    if name:
        for year in years:
            if year.name == name:
                return year
    today = timezone.localdate()
    for year in years:
        if year.start <= today <= year.end:
            return year
    return years[-1] if years else None


def _limit_rows(overridden: set[str], in_force: ComplianceSettings) -> list[dict]:
    return [
        {
            "id": limit.id,
            "description": limit.description,
            "value": display_value(limit.id, in_force.value(limit.id)),
            "default": display_value(limit.id, limit.default),
            "unit": limit.unit,
            "source": limit.source,
            "verify": limit.verify,
            "overridden": limit.id in overridden,
        }
        for limit in LIMITS.values()
    ]


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A program-year's compliance for schedulers: counts, trend, worst residents, findings,
    and the limits in force (editable by managers). POST "recompute" queues a manual run;
    POST "limits" saves the limits and marks the program's schedules for a new run."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    program = access.program
    years = compliance_years(program=program)
    year = _pick_year(years, request.GET.get("year") or request.POST.get("year"))
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
        "limit_rows": _limit_rows(set(overrides), in_force),
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
    tracks = list(Track.objects.filter(program=program).values_list("code", "name"))
    filter_form = FindingFilterForm(request.GET, rules=run_rule_ids(run=run), tracks=tracks)
    filters = filter_form.filters()
    findings = run_findings(run=run, **filters)
    page = Paginator(findings, FINDINGS_PER_PAGE).get_page(request.GET.get("page"))
    trend = run_trend(schedule=schedule)
    by_rule = list(
        Finding.objects.filter(run=run, severity__in=["critical", "warning"])
        .values("rule_id")
        .annotate(
            critical=Count("pk", filter=Q(severity="critical")),
            warning=Count("pk", filter=Q(severity="warning")),
        )
        .order_by("-critical", "-warning", "rule_id")[:12]
    )
    query = request.GET.copy()
    query.pop("page", None)
    floor = ((run.figures or {}).get("limits") or {}).get("ambulatory_floor", 1 / 3)
    worst = run_worst_residents(run=run)
    for row in worst:
        row["bar"] = _share_bar(row["share"], row["band"], floor)
    return context | {
        "filter_form": filter_form,
        "filtering": any(filters.values()),
        "page": page,
        "query": query.urlencode(),
        "worst": worst,
        "resident_count": len((run.figures or {}).get("residents", {})),
        "chart_data": {
            "trend": {
                "labels": [
                    timezone.localtime(r["created_at"]).strftime("%d %b %H:%M") for r in trend
                ],
                "critical": [r["critical_count"] for r in trend],
                "warning": [r["warning_count"] for r in trend],
                "info": [r["info_count"] for r in trend],
                "triggers": [r["trigger"] for r in trend],
            },
            "rules": {
                "labels": [r["rule_id"] for r in by_rule],
                "critical": [r["critical"] for r in by_rule],
                "warning": [r["warning"] for r in by_rule],
            },
        },
    }


@login_required
def resident_balance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One resident's balance: this year and cumulative against the targets, as charts, and
    their findings. A resident sees only themselves; the roster side sees everyone."""
    access = program_for_user(request.user, slug, Need.VIEW)
    resident = resident_for_user(access, pk)
    stored = resident_stored_compliance(resident=resident)
    years = list(AcademicYear.objects.filter(program=access.program).order_by("start"))
    current = year_for_date(years, timezone.localdate())
    context = {
        "program": access.program,
        "access": access,
        "resident": resident,
        "findings": stored["findings"],
        "stored": stored["run"],
    }
    if stored["run"] is not None:
        context.update(_balance_context(stored["run"], resident, current, stored["findings"]))
    return render(request, "compliance/resident_balance.html", context)


def _band_of(run: dict, track: str) -> list[float] | None:
    return (run.get("tracks") or {}).get(track)


STATE_OF_SEVERITY = {"critical": "bad", "warning": "warn", "info": "info"}


def _state(findings, rules: tuple[str, ...], year: str | None = None) -> str:
    """A tile's colour from the engine's own verdict: the most serious finding of `rules`
    (in `year` when given): "bad", "warn", "info", or "ok" when there is none."""
    severities = {
        f.severity
        for f in findings
        if f.rule_id in rules and (year is None or f.academic_year == year)
    }
    for severity in ("critical", "warning", "info"):
        if severity in severities:
            return STATE_OF_SEVERITY[severity]
    return "ok"


def _balance_context(run: dict, resident, current: AcademicYear | None, findings) -> dict:
    mine = run["mine"] or {}
    limits = run.get("limits") or {}
    years = mine.get("years", [])
    this_year = next(
        (y for y in years if current is not None and y["academic_year"] == current.name),
        years[-1] if years else None,
    )
    year_name = this_year["academic_year"] if this_year else None
    this = (this_year or {}).get("figures") or {}
    cumulative = mine.get("cumulative") or {}
    band = _band_of(run, mine.get("track", resident.track.code))
    this_band = _band_of(run, this_year["track"]) if this_year else band
    floor = limits.get("ambulatory_floor", 1 / 3)
    inpatient_floor = limits.get("inpatient_floor", 1 / 3)
    cc_min = limits.get("critical_care_min_months")
    cc_max = limits.get("critical_care_max_months")
    clinic_min = limits.get("continuity_clinic_min_sessions")
    vacation_allotted = limits.get("vacation_weeks_per_year")
    projected_share = mine.get("projected_ambulatory_share")
    projected_cc = mine.get("projected_critical_care_months")
    projected_clinic = mine.get("projected_clinic_sessions")
    cc_state = _state(findings, ("critical_care_min_months", "critical_care_max_months"))
    clinic_state = _state(findings, ("continuity_clinic_min_sessions",))
    tiles = [
        {
            "label": f"Ambulatory share {year_name}" if year_name else "Ambulatory share",
            "value": _pct(this.get("ambulatory_share")),
            "note": _band_text(this_band),
            "state": _state(findings, ("track_band",), year_name) if this else "muted",
        },
        {
            "label": "Ambulatory share, residency (projected)",
            "value": _pct(projected_share),
            "note": f"built years {_pct(cumulative.get('ambulatory_share'))} · floor {_pct(floor)}",
            "state": _state(findings, ("ambulatory_floor", "track_band_residency")),
        },
        {
            "label": "Inpatient share, residency",
            "value": _pct(cumulative.get("inpatient_share")),
            "note": f"floor {_pct(inpatient_floor)}",
            "state": _state(findings, ("inpatient_floor",)),
        },
        {
            "label": "Critical care (projected)",
            "value": "—" if projected_cc is None else f"{projected_cc:g} mo",
            "note": f"built years {cumulative.get('critical_care_months', 0):g} mo · "
            f"{_num(cc_min)}–{_num(cc_max)} mo",
            "state": cc_state,
        },
        {
            "label": "Clinic sessions (projected)",
            "value": "—" if projected_clinic is None else f"{projected_clinic:g}",
            "note": f"built years {cumulative.get('clinic_sessions', 0):g} · "
            f"needs ≥ {_num(clinic_min)}",
            "state": clinic_state,
        },
        {
            "label": f"Vacation {year_name}" if year_name else "Vacation",
            "value": f"{this.get('vacation_weeks', 0)} wk",
            "note": f"allotted {_num(vacation_allotted)} wk",
            "state": _state(findings, ("vacation_weeks_per_year",), year_name),
        },
    ]
    chart = {
        "years": {
            "labels": [f"{y['academic_year']} · PGY-{y['pgy']}" for y in years],
            "status": [y["status"] for y in years],
            "ambulatory": [y["figures"]["ambulatory_weeks"] for y in years],
            "inpatient": [
                y["figures"]["inpatient_weeks"] - y["figures"]["critical_care_weeks"] for y in years
            ],
            "critical_care": [y["figures"]["critical_care_weeks"] for y in years],
            "vacation": [y["figures"]["vacation_weeks"] for y in years],
            "leave": [y["figures"]["leave_weeks"] for y in years],
        },
        "shares": {
            "labels": [y["academic_year"] for y in years] + ["Built years", "Projected"],
            "values": [y["figures"]["ambulatory_share"] for y in years]
            + [cumulative.get("ambulatory_share"), projected_share],
            "bands": [_band_of(run, y["track"]) for y in years] + [band, band],
            "floor": floor,
        },
        "critical_care": {
            "built": cumulative.get("critical_care_months", 0),
            "projected": projected_cc,
            "min": cc_min,
            "max": cc_max,
            "state": cc_state,
        },
        "clinic": {
            "built": cumulative.get("clinic_sessions", 0),
            "projected": projected_clinic,
            "min": clinic_min,
            "state": clinic_state,
        },
    }
    return {"tiles": tiles, "chart_data": chart, "years_figures": years, "mine": mine}


def _share_bar(share: float | None, band, floor: float) -> dict:
    """Positions (in %) for the share bar: the band, the floor tick and the share's mark."""
    state = share_state(share, band)
    if share is not None and share < floor - 1e-9:
        state = "bad"
    title = f"{_pct(share)} of countable weeks; {_band_text(band)}; floor {_pct(floor)}"
    return {
        "lo": round(band[0] * 100, 1) if band else None,
        "width": round((band[1] - band[0]) * 100, 1) if band else None,
        "floor": round(floor * 100, 1),
        "v": None if share is None else round(min(max(share, 0), 1) * 100, 1),
        "state": state,
        "text": _pct(share),
        "title": title,
    }


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


def _band_text(band) -> str:
    return f"track band {_pct(band[0])}–{_pct(band[1])}" if band else "no track band"


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
        "current_week": academic_year.week_index(timezone.localdate()),
    }
    if version is not None:
        context.update(_heat_lines(version_coverage(version=version), academic_year.weeks))
    return render(request, "compliance/heatmap.html", context)


def _heat_lines(lines: list[dict], weeks: int) -> dict:
    """Each cell's class: ok, or under/over with a strength 1-3 for how far it is out."""
    under_weeks = [0] * weeks
    over_weeks = [0] * weeks
    out = []
    for line in lines:
        low, high = line["min"], line["max"]
        cells, under, over = [], 0, 0
        for week, cell in enumerate(line["cells"]):
            staffed, state = cell["staffed"], cell["state"]
            if line["min"] is None and line["max"] is None:
                css = "hm-none" if staffed == 0 else "hm-free"
            elif state == "under":
                gap = (low - staffed) / max(low, 1)
                css = f"hm-under-{1 if gap <= 0.34 else 2 if gap <= 0.67 else 3}"
                under += 1
                under_weeks[week] += 1
            elif state == "over":
                excess = (staffed - high) / max(high, 1)
                css = f"hm-over-{1 if excess <= 0.34 else 2 if excess <= 0.67 else 3}"
                over += 1
                over_weeks[week] += 1
            else:
                css = "hm-ok"
            cells.append({"staffed": staffed, "css": css})
        out.append({**line, "cells": cells, "under": under, "over": over})
    return {
        "lines": out,
        "under_weeks": under_weeks,
        "over_weeks": over_weeks,
        "under_total": sum(under_weeks),
        "over_total": sum(over_weeks),
        "lines_with_gaps": sum(1 for line in out if line["under"]),
    }
