"""Starting a solver build, following its live progress, and cancelling it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs.access import Need, program_for_user
from scheduling.access import build_job_for_access, schedule_for_access
from scheduling.forms import BuildForm
from scheduling.selectors import schedule_history_weeks, schedule_working_version
from scheduling.services import builds


@login_required
@require_POST
def build_start(request: HttpRequest, slug: str, year: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    form = BuildForm(request.POST)
    grid_url = reverse("scheduling:grid", args=[slug, year])
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(grid_url)
    base = None
    if form.cleaned_data["mode"] == "resolve":
        base = schedule_working_version(schedule=schedule)
        if base is None:
            messages.error(request, "There is no version to re-solve yet; build from scratch.")
            return redirect(grid_url)
    try:
        job = builds.build_job_start(
            schedule=schedule,
            by=request.user,
            time_limit_s=form.cleaned_data["time_limit_s"],
            seed=form.cleaned_data["seed"],
            base_version=base,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(grid_url)
    kept = builds.history_sentence(
        schedule=schedule, weeks=schedule_history_weeks(schedule=schedule)
    )
    if kept:
        messages.info(request, kept.replace("Built", "Building").replace("were kept", "are kept"))
    return redirect("scheduling:job", slug=slug, year=year, job_id=job.pk)


def _job_context(request, slug, year, job_id):
    access = program_for_user(request.user, slug, Need.SCHEDULE)
    schedule = schedule_for_access(access, year)
    job = builds.build_job_live(build_job_for_access(access, schedule, job_id))
    return {
        "program": access.program,
        "access": access,
        "schedule": schedule,
        "year": schedule.academic_year,
        "job": job,
    }


@login_required
def job_detail(request: HttpRequest, slug: str, year: str, job_id: int) -> HttpResponse:
    return render(request, "scheduling/job.html", _job_context(request, slug, year, job_id))


@login_required
def job_status(request: HttpRequest, slug: str, year: str, job_id: int) -> HttpResponse:
    """The progress panel alone, polled by htmx every second until the build ends."""
    context = _job_context(request, slug, year, job_id)
    response = render(request, "scheduling/_job_status.html", context)
    if context["job"].is_finished and context["job"].result_version_id:
        # Take the director straight to the result.
        number = context["job"].result_version.number
        if context["job"].replan:  # a re-plan is read as a diff before anyone publishes it
            response["HX-Redirect"] = reverse("scheduling:version", args=[slug, year, number])
        else:
            url = reverse("scheduling:grid", args=[slug, year])
            response["HX-Redirect"] = f"{url}?v={number}"
    return response


@login_required
@require_POST
def job_cancel(request: HttpRequest, slug: str, year: str, job_id: int) -> HttpResponse:
    context = _job_context(request, slug, year, job_id)
    builds.build_job_cancel(job=context["job"])
    messages.info(request, "Cancelling the build; the best schedule found so far is kept.")
    return redirect("scheduling:job", slug=slug, year=year, job_id=job_id)
