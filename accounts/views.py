"""Accepting an invitation: the only way into the system for a new person."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import services
from accounts.forms import InvitationAcceptForm
from accounts.models import Invitation, User


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("program"), token=token)
    if not services.invitation_is_usable(invitation):
        return render(request, "account/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if request.method == "POST" and request.user == existing:
            try:
                services.invitation_accept(invitation=invitation, name="", password=None)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("home")
            messages.success(request, f"You joined {invitation.program.name}.")
            return redirect("programs:overview", slug=invitation.program.slug)
        return render(
            request,
            "account/invitation_existing.html",
            {"invitation": invitation, "signed_in_as_invitee": request.user == existing},
        )
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.program.name}.")
            return redirect("programs:overview", slug=invitation.program.slug)
    return render(
        request, "account/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def email_managed(request: HttpRequest) -> HttpResponse:
    """allauth's e-mail page (`/accounts/email/`), turned off: a person's address is the one
    the program invited and manages. Left on, it let a user attach someone else's address and
    make an unverified address their sign-in address. The URL keeps allauth's name
    (`account_email`) because allauth's own code reverses it."""
    raise Http404("E-mail addresses are managed by your program.")
