"""Compliance runs and their findings are the compliance service's output: shown, never
edited. A program's limit overrides are edited on its row, with its program's choices."""

from django.contrib import admin

from compliance.models import ComplianceRun, Finding, ProgramLimits
from programs.admin import ProgramScopedAdmin, ReadOnlyAdmin


@admin.register(ProgramLimits)
class ProgramLimitsAdmin(ProgramScopedAdmin):
    list_display = ("program", "updated_at")


@admin.register(ComplianceRun)
class ComplianceRunAdmin(ReadOnlyAdmin):
    program_path = "schedule__program"
    list_display = ("pk", "schedule", "trigger", "critical_count", "warning_count", "created_at")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    program_path = "run__schedule__program"
    list_display = ("rule_id", "severity", "resident", "message")
    list_filter = ("severity", "rule_id")
