"""The Django admin, for site operators only (issue 9).

The admin bypasses `programs.access`, the one place that decides who sees what in a program,
so it is no place for program staff: they work in the app. Only an active superuser whose
session passed the two-factor step gets in. Anyone else signed in gets a 403, whatever
their `is_staff`, permissions or roles; an anonymous visitor goes to the app's sign-in page
(the admin's own password form would skip the TOTP step); a superuser without TOTP is sent
to set it up, and one whose session has not entered a code is asked for one.
"""

from enum import Enum
from functools import update_wrapper
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

NOT_AN_OPERATOR = "The admin is for site operators. Program staff work in the app."
SET_UP_TWO_FACTOR = (
    "The admin needs two-factor sign-in: set up an authenticator app here, "
    "then open the admin again."
)


class Standing(Enum):
    """How a request stands towards the admin."""

    ANONYMOUS = "anonymous"
    NOT_AN_OPERATOR = "not an operator"
    NO_TOTP = "superuser without TOTP"
    NO_CODE = "superuser whose session entered no code"
    OPERATOR = "operator"


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def entered_a_code(request: HttpRequest) -> bool:
    """True when this session passed allauth's two-factor step (sign-in or re-authentication)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def operator_standing(request: HttpRequest) -> Standing:
    user = request.user
    if not user.is_authenticated:
        return Standing.ANONYMOUS
    if not (user.is_active and user.is_superuser):
        return Standing.NOT_AN_OPERATOR
    if not has_totp(user):
        return Standing.NO_TOTP
    if not entered_a_code(request):
        return Standing.NO_CODE
    return Standing.OPERATOR


class OperatorAdminSite(admin.AdminSite):
    site_header = "Residency site administration"
    site_title = "Residency admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return operator_standing(request) is Standing.OPERATOR

    def admin_view(self, view, cacheable=False):
        """Django's admin view wrapper, with signed-in people who are not (yet) operators
        turned away before it: it would send them to a login page they cannot use."""
        checked = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            standing = operator_standing(request)
            if standing in (Standing.ANONYMOUS, Standing.OPERATOR):
                return checked(request, *args, **kwargs)
            return self.turn_away(request, standing, request.get_full_path())

        return update_wrapper(guarded, checked)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No password form here: the app's sign-in page asks for the TOTP code too."""
        target = self._target(request)
        standing = operator_standing(request)
        if standing is Standing.ANONYMOUS:
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
        if standing is Standing.OPERATOR:
            return HttpResponseRedirect(target)
        return self.turn_away(request, standing, target)

    def turn_away(self, request: HttpRequest, standing: Standing, target: str) -> HttpResponse:
        """The 403, or the way to two-factor sign-in, for someone signed in but not let in."""
        if standing is Standing.NOT_AN_OPERATOR:
            raise PermissionDenied(NOT_AN_OPERATOR)
        if standing is Standing.NO_TOTP:
            messages.warning(request, SET_UP_TWO_FACTOR)
            response = HttpResponseRedirect(reverse("mfa_activate_totp"))
        else:
            query = urlencode({"next": target})
            response = HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
        add_never_cache_headers(response)
        return response

    def _target(self, request: HttpRequest) -> str:
        """Where to go once in: the admin page asked for, or the admin's index."""
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get("next", "")
        return wanted if wanted.startswith(index) else index


class SecretFieldsAdmin(admin.ModelAdmin):
    """A model admin that never shows, loads, searches or filters on `secret_fields`.

    Fields are left out of the form and deferred in every query; a lookup that names one
    (`?private_notes__contains=...`, even through a relation) is refused with a 400, since a
    filter that matched would tell what the field says, one guess at a time. `check()` fails
    when a secret field is listed, filtered, searched or shown anywhere.
    """

    secret_fields: tuple[str, ...] = ()

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self.secret_fields)

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*self.secret_fields)

    def lookup_allowed(self, lookup, value, request=None):
        if set(lookup.split("__")) & set(self.secret_fields):
            return False
        return super().lookup_allowed(lookup, value, request)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        options = ("list_display", "list_filter", "search_fields", "fields", "readonly_fields")
        for option in options:
            names = [name for name in getattr(self, option) or () if isinstance(name, str)]
            shown = {part for name in names for part in name.lstrip("^=@").split("__")}
            for field in shown & set(self.secret_fields):
                errors.append(
                    checks.Error(
                        f"{option} names the secret field {field!r}.",
                        obj=self.__class__,
                        id="residency.E001",
                    )
                )
        return errors
