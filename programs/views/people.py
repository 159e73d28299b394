"""Who holds which role in a program, and inviting people in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Invitation
from accounts.services import invitation_create
from programs.access import Need, program_for_user
from programs.forms import InviteForm
from programs.models import Faculty, Resident, Role


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    roles = (
        Role.objects.filter(program=program).select_related("user").order_by("kind", "user__email")
    )
    invitations = Invitation.objects.filter(program=program, accepted_at__isnull=True)
    return render(
        request,
        "programs/people.html",
        {
            "program": program,
            "access": access,
            "roles": roles,
            "invitations": invitations,
            "form": InviteForm(program=program),
        },
    )


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    form = InviteForm(
        request.POST or None, program=program, initial=_invite_initial(request, program)
    )
    if request.method == "POST" and form.is_valid():
        invitation_create(
            program=program,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            resident=form.cleaned_data["resident"],
            faculty=form.cleaned_data["faculty"],
            by=request.user,
        )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("programs:people", slug=slug)
    return render(
        request, "programs/invite.html", {"program": program, "access": access, "form": form}
    )


def _invite_initial(request: HttpRequest, program) -> dict:
    """`?resident=<pk>` or `?faculty=<pk>` (links from the set-up roster) fill in the role,
    the record and its e-mail, for a record of this program only."""
    initial: dict = {}
    for kind, model in (("resident", Resident), ("faculty", Faculty)):
        pk = request.GET.get(kind, "")
        if pk.isdigit():
            record = model.objects.filter(program=program, pk=int(pk)).only("email").first()
            if record is not None:
                initial = {kind: int(pk), "role": kind, "email": record.email}
    return initial
