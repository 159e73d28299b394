"""Page models for the compliance pages: plain dicts built from what the selectors read.

Nothing here queries the database; the views pass in what they read and render the result.
"""

from __future__ import annotations

from django.utils import timezone

from compliance.engine import LIMITS, ComplianceSettings
from compliance.forms import display_value
from compliance.selectors import share_state
from compliance.wording import limit_in_words, limit_title, rule_text, rule_title, short_detail
from programs.models import AcademicYear


def limit_rows(overridden: set[str], in_force: ComplianceSettings) -> list[dict]:
    return [
        {
            "id": limit.id,
            "title": limit_title(limit.id),
            "description": limit.description,
            "value": display_value(limit.id, in_force.value(limit.id)),
            "default": display_value(limit.id, limit.default),
            "unit": "percent of weeks" if limit.unit == "share of weeks" else limit.unit,
            "source": limit.source,
            "verify": limit.verify,
            "overridden": limit.id in overridden,
        }
        for limit in LIMITS.values()
    ]


def dashboard_charts(trend: list[dict], by_rule: list[dict]) -> dict:
    """Chart.js data for the dashboard: findings per run over time, and per rule."""
    return {
        "trend": {
            "labels": [timezone.localtime(r["created_at"]).strftime("%d %b %H:%M") for r in trend],
            "critical": [r["critical_count"] for r in trend],
            "warning": [r["warning_count"] for r in trend],
            "info": [r["info_count"] for r in trend],
            "triggers": [r["trigger"] for r in trend],
        },
        "rules": {
            "labels": [rule_title(r["rule_id"]) for r in by_rule],
            "critical": [r["critical"] for r in by_rule],
            "warning": [r["warning"] for r in by_rule],
        },
    }


def finding_rows(findings) -> list[dict]:
    """Findings as the pages list them: the rule's title and explanation, a short detail
    (the first sentence), the whole message for the expanded view, and the reference."""
    rows = []
    for f in findings:
        text = rule_text(f.rule_id)
        rows.append(
            {
                "finding": f,
                "title": text.title,
                "explanation": text.explanation,
                "detail": short_detail(f.message),
                "more": f.message != short_detail(f.message),
                "limit": limit_in_words(f.limit),
            }
        )
    return rows


def rule_guide(rule_ids) -> list[dict]:
    """Each rule of `rule_ids` with its title and explanation, ordered by title."""
    return sorted(
        (
            {"title": rule_text(r).title, "explanation": rule_text(r).explanation}
            for r in set(rule_ids)
        ),
        key=lambda row: row["title"],
    )


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


def balance_page(run: dict, resident, current: AcademicYear | None, findings) -> dict:
    """The resident balance page: tiles (value, note, state) and the charts' data."""
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


def share_bar(share: float | None, band, floor: float) -> dict:
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


def heat_lines(lines: list[dict], weeks: int) -> dict:
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
