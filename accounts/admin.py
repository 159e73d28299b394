"""Admin for accounts, and for allauth's models, which hold secrets.

TOTP secrets and recovery codes (`Authenticator.data`) are never shown, loaded or
filterable, and authenticators cannot be added or edited here: people set up two-factor
sign-in themselves. An operator may only remove one (a lost phone). E-mail address rows
are read-only: addresses prove who receives sign-in mail (issue 9: a staff user edited
another program's rows).
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Invitation, User
from programs.admin import ProgramScopedAdmin
from residency.admin import SecretFieldsAdmin

#: What only a superuser may change on an account.
PRIVILEGES = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "last_login")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, *PRIVILEGES)


@admin.register(Invitation)
class InvitationAdmin(ProgramScopedAdmin):
    """Invitations are sent from the app, which e-mails them; once sent, one says "join this
    program in this role" and is not re-aimed (issue 9: one was moved to program B as
    director, then accepted). An operator may only change when it expires."""

    list_display = ("email", "program", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("program", "role")
    search_fields = ("email",)
    exclude = ("token",)
    readonly_fields = (
        "program",
        "email",
        "role",
        "resident",
        "faculty",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
    )

    def has_add_permission(self, request):
        return False


if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(SecretFieldsAdmin):
    secret_fields = ("data",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields
    list_display = fields
    list_filter = ("type",)
    search_fields = ("user__email",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(BaseEmailAddressAdmin):
    actions = None
    readonly_fields = ("user", "email", "verified", "primary")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
