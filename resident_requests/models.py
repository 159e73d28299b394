"""Resident requests made in the app: the program's limits on them, and swaps of weeks.

Vacation, leave and rotation wishes are `programs.ResidentRequest` rows (the bundle's
requests, with a status and a decision); a swap exchanges two residents' cells of the
published schedule, so it lives here, beside the schedule it changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from programs.models import Program, Resident
from scheduling.models import Schedule, ScheduleVersion


class RequestPolicy(models.Model):
    """A program's limits on requests (issue 11): refused requests say which one they break."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="request_policy")
    vacation_weeks_per_year = models.PositiveSmallIntegerField(
        default=4, help_text="Vacation weeks a resident may take in one academic year."
    )
    notice_days = models.PositiveSmallIntegerField(
        default=14, help_text="Requests are due at least this many days before the week starts."
    )
    blackout_weeks = models.JSONField(
        default=list, blank=True, help_text="Week starts (Mondays) in which no vacation is given."
    )

    def __str__(self) -> str:
        return f"Request limits of {self.program}"


class Swap(models.Model):
    """Two residents exchange their published cells in some weeks.

    `weeks` are the weeks the offering resident gives (the partner takes their rotation and
    gives back their own); `partner_weeks`, when given, are weeks the partner gives in
    return (a trade). The partner must accept, then a chief or director approves, which
    publishes a new version with exactly those cells exchanged.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", "Waiting for the partner"
        ACCEPTED = "accepted", "Waiting for approval"
        REFUSED = "refused", "Refused by the partner"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.OFFERED, Status.ACCEPTED)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="swaps")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="swaps")
    offered_by = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="swaps_offered")
    partner = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="swaps_received")
    weeks = models.JSONField(help_text="0-based weeks the offering resident gives.")
    partner_weeks = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OFFERED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True, max_length=1000)
    result_version = models.ForeignKey(
        ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(offered_by=F("partner")), name="swap_between_two_residents"
            ),
        ]

    def __str__(self) -> str:
        return f"Swap #{self.pk}: {self.offered_by} ↔ {self.partner}"

    @property
    def all_weeks(self) -> list[int]:
        return sorted(set(self.weeks) | set(self.partner_weeks))

    @property
    def is_trade(self) -> bool:
        return bool(self.partner_weeks)
