from django.contrib import admin

from history.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: operators may look, nobody may rewrite history."""

    list_display = ("at", "program", "kind", "subject", "actor")
    list_filter = ("kind",)
    search_fields = ("subject", "reason")
    list_select_related = ("program", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
