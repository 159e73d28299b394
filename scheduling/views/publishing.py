"""The program's publishing setting: which roles publish, which submit for approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from programs.access import Need, program_for_user
from scheduling.forms import PublishRolesForm
from scheduling.services.publishing import program_set_publish_roles


@login_required
def publish_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    form = PublishRolesForm(request.POST or None, initial={"roles": program.publish_roles})
    if request.method == "POST" and form.is_valid():
        try:
            program_set_publish_roles(
                program=program, roles=form.cleaned_data["roles"], by=request.user
            )
        except ValidationError as error:
            form.add_error("roles", " ".join(error.messages))
        else:
            messages.success(request, "Saved who may publish.")
            return redirect("scheduling:publish_settings", slug=slug)
    status = 400 if form.errors else 200
    return render(
        request,
        "scheduling/publish_settings.html",
        {"program": program, "access": access, "form": form},
        status=status,
    )
