"""Pages for programs and people: home, program overview, roster, resident detail."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from programs.access import Need, program_for_user, programs_for_user, resident_for_user
from programs.models import Resident, Role
from programs.selectors import program_overview, roster_filter
from programs.selectors_setup import setup_checklist


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: send them to the app's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's start page: their programs and, for residents and faculty, their records."""
    programs = list(programs_for_user(request.user).order_by("name"))
    roles = list(
        Role.objects.filter(user=request.user).select_related("program").order_by("program__name")
    )
    may_create = request.user.is_superuser or any(role.kind == Role.Kind.DIRECTOR for role in roles)
    if len(programs) == 1 and not request.user.is_superuser:
        return redirect("homes:home", slug=programs[0].slug)
    return render(
        request,
        "programs/home.html",
        {"programs": programs, "roles": roles, "may_create": may_create},
    )


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    if access.is_resident and not access.can_see_roster:
        return redirect("homes:home", slug=slug)
    context = {"program": access.program, "access": access}
    context.update(program_overview(program=access.program))
    if access.can_manage:
        context["checklist"] = setup_checklist(program=access.program)
    return render(request, "programs/overview.html", context)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SEE_ROSTER)
    program = access.program
    filters = {
        "pgy": _int_or_none(request.GET.get("pgy")),
        "track": request.GET.get("track") or None,
        "cohort": _int_or_none(request.GET.get("cohort")),
        "status": request.GET.get("status", "active") or None,
        "query": request.GET.get("q", "").strip(),
    }
    residents = list(roster_filter(program=program, **filters))
    context = {
        "program": program,
        "access": access,
        "residents": residents,
        "filters": filters,
        "tracks": list(program.tracks.all()),
        "cohort_choices": range(program.cohorts),
        "pgy_choices": (1, 2, 3),
        "status_choices": [("", "Any status"), *Resident.Status.choices],
    }
    return render(request, "programs/roster.html", context)


@login_required
def resident_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.VIEW)
    resident = resident_for_user(access, pk)
    requests = list(resident.requests.select_related("rotation").order_by("kind", "position"))
    mentorships = list(resident.mentorships.select_related("mentor").order_by("-started_on"))
    return render(
        request,
        "programs/resident_detail.html",
        {
            "program": access.program,
            "access": access,
            "resident": resident,
            "requests": requests,
            "mentorships": mentorships,
        },
    )
