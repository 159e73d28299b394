"""Schedules, versions and builds are written by the scheduling services, which keep them
consistent (one published version, published means immutable, one running build): the
admin shows them and may delete them, never edits them around those services."""

from django.contrib import admin

from programs.admin import ReadOnlyAdmin
from scheduling.models import BuildJob, Schedule, ScheduleVersion


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "published_version", "compliance_dirty")
    list_select_related = ("program", "academic_year", "published_version")


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyAdmin):
    program_path = "schedule__program"
    list_display = ("__str__", "status", "source", "solver_status", "gap", "created_at")
    list_filter = ("status", "source")

    def has_delete_permission(self, request, obj=None):
        """Not the published version: residents' schedules and calendars show it."""
        published = obj is not None and obj.status == ScheduleVersion.Status.PUBLISHED
        return not published and super().has_delete_permission(request, obj)


@admin.register(BuildJob)
class BuildJobAdmin(ReadOnlyAdmin):
    program_path = "schedule__program"
    list_display = ("pk", "schedule", "status", "solutions_found", "elapsed_s", "created_at")
    list_filter = ("status",)
