"""Comparing versions, the coverage view, and downloads of a version."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from programs.access import Need, program_for_user
from programs.models import Resident
from scheduling.access import schedule_for_access, version_for_access
from scheduling.exports import CONTENT_TYPES, FORMATS, export_version
from scheduling.selectors import version_coverage, version_diff
from scheduling.selectors_fairness import version_fairness


def _int(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def compare(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """What changed between two versions, resident by resident."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    versions = list(schedule.versions.order_by("-number"))
    a = b = None
    # One version has nothing to be compared with: never "v1 against v1" (issue #13).
    if len(versions) > 1:
        a = version_for_access(access, schedule, _int(request.GET.get("a")))
        b = version_for_access(access, schedule, _int(request.GET.get("b")))
    if a is not None and b is not None and a.pk == b.pk:
        b = next(v for v in versions if v.pk != a.pk)
    changes = version_diff(old=b, new=a) if a and b else {}
    names = dict(
        Resident.objects.filter(program=access.program, external_id__in=changes).values_list(
            "external_id", "name"
        )
    )
    year_obj = schedule.academic_year
    rows = [
        {
            "resident": rid,
            "name": names.get(rid, rid),
            "changes": [
                {"week": w + 1, "date": year_obj.week_start(w), "old": old, "new": new}
                for w, old, new in diff
            ],
        }
        for rid, diff in changes.items()
    ]
    return render(
        request,
        "scheduling/compare.html",
        {
            "program": access.program,
            "access": access,
            "year": year_obj,
            "versions": versions,
            "a": a,
            "b": b,
            "rows": rows,
            "changed_cells": sum(len(r["changes"]) for r in rows),
        },
    )


@login_required
def coverage(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    """Per rotation and week: residents staffed against the rule's min and max, in colour."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, _int(request.GET.get("v")))
    lines = version_coverage(version=version) if version else []
    year_obj = schedule.academic_year
    return render(
        request,
        "scheduling/coverage.html",
        {
            "program": access.program,
            "access": access,
            "year": year_obj,
            "version": version,
            "lines": lines,
            "weeks": [year_obj.week_start(w) for w in range(year_obj.weeks)],
        },
    )


#: (measure, title, the spread beyond which a class is flagged: weeks, or points of %)
FAIRNESS_MEASURES = (
    ("nights", "Nights (weeks)", 2),
    ("critical care", "Critical care (weeks)", 2),
    ("holiday weeks worked", "Holiday weeks worked", 1),
    ("wishes granted", "Wishes granted (%)", 50),
)


def _fairness_cells(group) -> list[dict]:
    cells = []
    for measure, _, wide in FAIRNESS_MEASURES:
        for spread in (group.spread()[measure], group.spread(cumulative=True)[measure]):
            flagged = spread is not None and spread[1] - spread[0] > wide
            cells.append({"spread": spread, "wide": flagged})
    return cells


@login_required
def fairness(request: HttpRequest, slug: str, year: str, number: int) -> HttpResponse:
    """Per class (track x PGY): the spread of nights, critical care, holiday weeks and
    wishes granted in this version, and summed over the program's earlier years."""
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, number)
    classes = version_fairness(version=version)
    chart = [
        {
            "label": f"{c.track} PGY-{c.pgy}",
            "members": c.members,
            "this_year": c.this_year,
            "cumulative": c.cumulative,
        }
        for c in classes
    ]
    return render(
        request,
        "scheduling/fairness.html",
        {
            "program": access.program,
            "access": access,
            "year": schedule.academic_year,
            "version": version,
            "classes": [{"c": c, "cells": _fairness_cells(c)} for c in classes],
            "measures": FAIRNESS_MEASURES,
            "years": classes[0].years if classes else [schedule.academic_year.name],
            "chart_data": chart,
        },
    )


@login_required
def export(request: HttpRequest, slug: str, year: str, number: int, fmt: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, number)
    body = export_version(version, fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{slug}-{year}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
