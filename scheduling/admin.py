from django.contrib import admin

from programs.admin import ProgramScopedAdmin
from scheduling.models import BuildJob, Schedule, ScheduleVersion


@admin.register(Schedule)
class ScheduleAdmin(ProgramScopedAdmin):
    list_display = ("__str__", "published_version", "compliance_dirty")
    list_select_related = ("program", "academic_year", "published_version")


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ProgramScopedAdmin):
    program_path = "schedule__program"
    list_display = ("__str__", "status", "source", "solver_status", "gap", "created_at")
    list_filter = ("status", "source")
    readonly_fields = ("schedule", "number", "parent", "published_at", "published_by")


@admin.register(BuildJob)
class BuildJobAdmin(ProgramScopedAdmin):
    program_path = "schedule__program"
    list_display = ("pk", "schedule", "status", "solutions_found", "elapsed_s", "created_at")
    list_filter = ("status",)
