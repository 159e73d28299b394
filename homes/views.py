"""The program's home page for the person looking at it: what needs them now, by role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homes.selectors import home_coordinator, home_director, home_mentor, home_resident
from programs.access import Need, ProgramAccess, program_for_user
from programs.clock import program_today
from programs.models import Role
from programs.selectors_setup import setup_checklist

#: Roles that lead the program's schedule and people: directors and chief residents.
LEADING = frozenset({Role.Kind.DIRECTOR, Role.Kind.ASSOCIATE_DIRECTOR, Role.Kind.CHIEF_RESIDENT})


def leads(access: ProgramAccess) -> bool:
    return access.is_staff or bool(access.roles & LEADING)


@login_required
def program_home(request: HttpRequest, slug: str) -> HttpResponse:
    """One section per role the viewer holds, each from its own selector: director or chief,
    coordinator, mentor, resident. Someone with none of these gets links to what they can use."""
    access = program_for_user(request.user, slug, Need.VIEW)
    program = access.program
    today = program_today(program)
    context: dict = {"program": program, "access": access, "today": today}
    if access.can_manage:
        steps = setup_checklist(program=program)
        if not all(step.done for step in steps):
            context["setup"] = {
                "done": sum(step.done for step in steps),
                "total": len(steps),
                "next": next(step for step in steps if not step.done),
            }
    if leads(access):
        context["director"] = home_director(program=program, today=today)
    if Role.Kind.COORDINATOR in access.roles:
        context["coordinator"] = home_coordinator(program=program, now=timezone.now())
    if access.faculty is not None:
        context["mentor"] = home_mentor(faculty=access.faculty, today=today)
    if access.resident is not None:
        context["resident"] = home_resident(program=program, resident=access.resident, today=today)
    return render(request, "homes/home.html", context)
