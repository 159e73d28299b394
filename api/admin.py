from django.contrib import admin

from api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Operators may see and revoke tokens; the secret is never stored, so never shown."""

    list_display = ["name", "user", "prefix", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__email"]
    # The hash is left out too: it is what a stolen database would be matched against.
    exclude = ["secret_hash"]
    readonly_fields = ["user", "prefix", "scope", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
