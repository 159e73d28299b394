"""Sends everyone who can edit or publish in a program that requires two-factor sign-in
(directors, associate directors, coordinators, chief residents) to set it up first."""

from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import user_must_set_up_mfa

# Pages they may still reach before setting up MFA: the MFA pages themselves,
# signing out, and static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/invitations/")


class RequireDirectorMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and user_must_set_up_mfa(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
