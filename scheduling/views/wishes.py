"""'Why didn't I get my wish?': a resident's wishes in a version, and asking about one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programs.access import Need, program_for_user
from scheduling.access import schedule_for_access, version_for_access, wishes_for_access
from scheduling.selectors_residents import resident_wishes
from scheduling.services import wishes as wish_services


def _context(request, slug, year, number, pk):
    access = program_for_user(request.user, slug, Need.VIEW)
    resident = wishes_for_access(access, pk)
    schedule = schedule_for_access(access, year)
    version = version_for_access(access, schedule, number)
    lines = resident_wishes(version=version, resident=resident)
    return {
        "program": access.program,
        "access": access,
        "year": schedule.academic_year,
        "version": version,
        "resident": resident,
        "lines": lines,
        "waiting": any(line.question and not line.question.is_finished for line in lines),
        "is_self": access.resident is not None and access.resident.pk == resident.pk,
    }


@login_required
def wishes(request: HttpRequest, slug: str, year: str, number: int, pk: int) -> HttpResponse:
    """The resident's wishes in version ``number``: met or not, and the answers to "why
    not?". htmx polls the panel alone while a question is being answered."""
    context = _context(request, slug, year, number, pk)
    if request.headers.get("HX-Request"):
        return render(request, "scheduling/_wishes.html", context)
    return render(request, "scheduling/wishes.html", context)


@login_required
@require_POST
def wish_ask(
    request: HttpRequest, slug: str, year: str, number: int, pk: int, index: int
) -> HttpResponse:
    """Queue "why didn't I get this wish?" (or show the answer already given)."""
    context = _context(request, slug, year, number, pk)
    try:
        wish_services.wish_question_ask(
            version=context["version"],
            resident=context["resident"],
            wish_index=index,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("scheduling:wishes", slug=slug, year=year, number=number, pk=pk)
