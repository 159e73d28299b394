"""Compliance runs and their findings, and each program's limits in force.

A run is one evaluation of a schedule by the pure engine (`compliance/engine/`); the Celery
job stores it with one `Finding` row per finding so that pages only read.
"""

from django.conf import settings
from django.db import models

from programs.models import Program, Resident
from scheduling.models import Schedule, ScheduleVersion


def figures_key(resident_pk: int) -> str:
    """The key of a resident in `ComplianceRun.figures["residents"]`: "r<pk>". (A key made of
    digits alone would be read as an array index by JSON path lookups.)"""
    return f"r{resident_pk}"


class ProgramLimits(models.Model):
    """A program's overrides of the compliance limits' defaults (only values that differ)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="compliance_limits"
    )
    overrides = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "program limits"
        verbose_name_plural = "program limits"

    def __str__(self) -> str:
        return f"Compliance limits of {self.program}"


class ComplianceRun(models.Model):
    """One evaluation of a schedule against the program's and the ACGME's rules."""

    class Trigger(models.TextChoices):
        EDIT = "edit", "After a change"
        NIGHTLY = "nightly", "Nightly sweep"
        MANUAL = "manual", "On request"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="compliance_runs")
    version = models.ForeignKey(
        ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    duration_s = models.FloatField(default=0)
    critical_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    info_count = models.PositiveIntegerField(default=0)
    residents_out_of_compliance = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, help_text="Each resident's balance figures.")

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Compliance run #{self.pk} ({self.trigger})"


class Finding(models.Model):
    """One thing a compliance run found, naming the rule and the requirement it comes from."""

    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        WARNING = "warning", "Warning"
        INFO = "info", "Info"

    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(max_length=16, choices=Severity.choices)
    rule_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=300)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rotation_code = models.CharField(max_length=32, blank=True)
    academic_year = models.CharField(max_length=32, blank=True)
    weeks = models.JSONField(default=list, blank=True)
    message = models.TextField()
    figure = models.FloatField(null=True, blank=True)
    limit = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["run", "severity", "rule_id"]
        indexes = [models.Index(fields=["run", "severity"])]

    def __str__(self) -> str:
        return f"{self.severity}: {self.rule_id}"
