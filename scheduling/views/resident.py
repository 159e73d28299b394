"""A resident's own schedule: this week, what comes next, the whole year. Good on a phone."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programs.access import Need, program_for_user, resident_for_user
from programs.clock import program_today
from scheduling.models import CalendarFeed
from scheduling.selectors_residents import resident_published_plans


def _schedule_page(request, access, resident) -> HttpResponse:
    today = program_today(access.program)
    plans = resident_published_plans(resident=resident)
    current = next((p for p in plans if p.year.start <= today <= p.year.end), None)
    if current is None:
        current = next((p for p in plans if p.year.start > today), plans[-1] if plans else None)
    this_week = upcoming = None
    if current is not None:
        index = current.year.week_index(today)
        if index is not None:
            this_week = current.weeks[index]
        future = [run for run in current.runs if run["start"] > today]
        upcoming = future[:4]
    feed = None
    if request.user == resident.user:
        feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(
        request,
        "scheduling/resident_schedule.html",
        {
            "program": access.program,
            "access": access,
            "resident": resident,
            "plans": plans,
            "current": current,
            "this_week": this_week,
            "upcoming": upcoming,
            "today": today,
            "monday": today - datetime.timedelta(days=today.weekday()),
            "feed": feed,
            "is_self": request.user == resident.user,
            "may_ask_wishes": access.can_schedule or request.user == resident.user,
        },
    )


@login_required
def my_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    if access.resident is None:
        return render(
            request,
            "scheduling/no_resident_record.html",
            {"program": access.program, "access": access},
            status=404,
        )
    return _schedule_page(request, access, access.resident)


@login_required
def resident_schedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    resident = resident_for_user(access, pk)
    return _schedule_page(request, access, resident)
