"""The program's history: one append-only row per change, who made it, when, before and after.

Every write that a director may later ask about ("who moved Lee off ICU in week 12?") records
an `Event` through `history.services.history_record`: schedule cell edits, pins, builds,
re-plans, publishing, swaps, request decisions, and set-up changes (tracks, rotations,
requirements, roster). Rows are never updated or deleted (the model refuses, and PostgreSQL
refuses by trigger); an undo is a new event that names the event it reverts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.models import Program, Resident


class EventQuerySet(models.QuerySet):
    def for_program(self, program: Program) -> "EventQuerySet":
        return self.filter(program=program)

    def for_version(self, version) -> "EventQuerySet":
        return self.filter(version=version)

    def for_cell(self, *, version, resident: Resident, week: int) -> "EventQuerySet":
        return self.filter(version=version, resident=resident, week=week)

    def not_reverted(self) -> "EventQuerySet":
        return self.filter(reverted_by__isnull=True)


class Event(models.Model):
    """One change, as it happened. `before` and `after` are small JSON snapshots."""

    class Kind(models.TextChoices):
        # The schedule
        CELL_EDIT = "cell_edit", "Cell edited"
        PIN = "pin", "Cell pinned or unpinned"
        BUILD = "build", "Schedule built"
        REPLAN = "replan", "Re-planned"
        DRAFT = "draft", "Draft created"
        PUBLISH = "publish", "Published"
        PUBLISH_REQUESTED = "publish_requested", "Submitted for approval"
        SWAP = "swap", "Swap applied"
        UNDO = "undo", "Undone"
        IMPORT = "import", "Imported"
        # Requests
        REQUEST_SUBMITTED = "request_submitted", "Request submitted"
        REQUEST_DECIDED = "request_decided", "Request decided"
        # Set-up
        SETUP_CREATED = "setup_created", "Created"
        SETUP_CHANGED = "setup_changed", "Changed"
        SETUP_DELETED = "setup_deleted", "Deleted"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # What changed, in words a director reads ("Rotation ICU", "R0031 · week 12").
    subject = models.CharField(max_length=200)
    # The schedule version and cell it concerns, when it concerns one.
    version = models.ForeignKey(
        "scheduling.ScheduleVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    week = models.PositiveSmallIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # An undo names the event it reverts; the reverted event is found by this reverse link.
    reverts = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reverted_by"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["program", "-at"], name="event_program_recent"),
            models.Index(fields=["version", "resident", "week"], name="event_cell"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(week__isnull=True) | Q(version__isnull=False),
                name="event_week_needs_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: history that can be rewritten is not history.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("History events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("History events cannot be deleted.")
