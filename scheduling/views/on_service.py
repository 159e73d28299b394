"""Who is on service: the list the wards print, for every member of the program."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programs.access import Need, program_for_user
from programs.clock import program_today
from programs.models import AcademicYear
from scheduling.forms import WeekForm
from scheduling.models import ScheduleVersion
from scheduling.selectors_midyear import on_service_weeks

WEEK = datetime.timedelta(days=7)


@login_required
def on_service(request: HttpRequest, slug: str) -> HttpResponse:
    """Each service's residents (name, PGY) and who is on vacation or leave, for the week
    of `?week=` (any day of it) and the next one; this week and next by default. From the
    published schedule only, so faculty and residents see what the wards see."""
    access = program_for_user(request.user, slug, Need.VIEW)
    program = access.program
    form = WeekForm(request.GET)
    today = program_today(program)
    day = (form.cleaned_data.get("week") if form.is_valid() else None) or today
    monday = day - datetime.timedelta(days=day.weekday())
    year = (
        AcademicYear.objects.filter(program=program, start__lte=monday)
        .order_by("-start")
        .select_related("schedule__published_version")
        .first()
    )
    weeks, version = [], None
    first = year.week_index(monday) if year else None
    if year is not None and first is not None:
        version = getattr(getattr(year, "schedule", None), "published_version", None)
        if version is not None and version.status == ScheduleVersion.Status.PUBLISHED:
            indices = [w for w in (first, first + 1) if w < year.weeks]
            weeks = on_service_weeks(program=program, year=year, version=version, weeks=indices)
    return render(
        request,
        "scheduling/on_service.html",
        {
            "program": program,
            "access": access,
            "year": year if first is not None else None,
            "version": version,
            "weeks": weeks,
            "form": form,
            "monday": monday,
            "previous": monday - WEEK,
            "next": monday + WEEK,
            "this_monday": today - datetime.timedelta(days=today.weekday()),
        },
    )
