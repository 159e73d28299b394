"""Mentorships, pairing proposals, meetings and their action items.

Privacy is part of the model: `Meeting.private_notes` belong to the mentor alone; residents
see the shared parts; directors see that meetings happened and their topics, nothing more.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from programs.links import linked_program_id, require_one_program, require_unchanged
from programs.models import Faculty, Program, Resident


class MentorPreference(models.Model):
    """A resident's ranked wish for a mentor (rank 1 is their first choice)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="mentor_preferences"
    )
    faculty = models.ForeignKey(Faculty, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["resident", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "rank"], name="preference_rank_unique"),
            models.UniqueConstraint(fields=["resident", "faculty"], name="preference_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=5), name="preference_rank_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} ranks {self.faculty} #{self.rank}"

    def clean(self) -> None:
        require_one_program(self, linked_program_id(self, "resident"), "faculty")


class Mentorship(models.Model):
    """A resident paired with a faculty mentor, from a start date until it ends."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(Faculty, on_delete=models.RESTRICT, related_name="mentorships")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="mentorships")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ended_on__isnull=True),
                name="one_active_mentorship_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mentorship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.resident}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        """Mentor and resident are of its program, and stay: the meetings' private notes are
        that mentor's (a new mentor means ending this mentorship and starting another)."""
        require_one_program(self, self.program_id, "mentor", "resident")
        require_unchanged(
            self,
            "mentor",
            "resident",
            why="A mentorship keeps its mentor and resident: end it and start another.",
        )


class PairingProposal(models.Model):
    """A proposed set of mentor pairs that a director reviews, adjusts and approves."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        DISCARDED = "discarded", "Discarded"

    class Scope(models.TextChoices):
        UNPAIRED = "unpaired", "Residents without a mentor"
        ALL = "all", "The whole program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pairing_proposals")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.UNPAIRED)
    keep_existing = models.BooleanField(default=True)
    total_score = models.IntegerField(default=0)
    solver_status = models.CharField(max_length=16, blank=True)
    unpaired = models.JSONField(default=list, blank=True, help_text="[resident id, reason] pairs.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Pairing proposal #{self.pk} ({self.status})"

    @property
    def label(self) -> str:
        """What people call it: dated, not numbered ("Pairing proposal of 5 Dec 2026, 14:03")."""
        if self.created_at is None:
            return "New pairing proposal"
        when = timezone.localtime(self.created_at)
        return f"Pairing proposal of {when:%-d %b %Y, %H:%M}"


class ProposedPair(models.Model):
    """One pair in a proposal, with its score and the reasons behind it."""

    proposal = models.ForeignKey(PairingProposal, on_delete=models.CASCADE, related_name="pairs")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Faculty, on_delete=models.CASCADE, related_name="+")
    score = models.IntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)
    kept = models.BooleanField(default=False, help_text="An existing mentorship, kept as it is.")

    class Meta:
        ordering = ["proposal", "mentor__name", "resident__name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "resident"], name="proposal_resident_once"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} with {self.mentor} ({self.score})"

    def clean(self) -> None:
        require_one_program(self, linked_program_id(self, "proposal"), "resident", "mentor")


class Meeting(models.Model):
    """A mentoring meeting as the mentor logged it, and the resident's side of it."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"
        PHONE = "phone", "Phone"

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular meeting"
        CAREER_CONFERENCE = "career_conference", "Formal career conference"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    occurred_on = models.DateField()
    # When it began, in the program's time zone: the mentor's calendar feed shows the meeting
    # at that time; without one it is an all-day event on `occurred_on`.
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.IN_PERSON)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.REGULAR)
    topics = models.JSONField(default=list, blank=True)
    goals_discussed = models.TextField(blank=True)
    private_notes = models.TextField(blank=True, help_text="Only the mentor ever sees these.")
    resident_reflection = models.TextField(blank=True)
    resident_confirmed_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=600),
                name="meeting_duration_range",
            ),
        ]

    def __str__(self) -> str:
        # Never any content: this string shows in the admin and in logs.
        return f"Meeting #{self.pk} of {self.occurred_on}"

    def clean(self) -> None:
        # Moved to another mentorship, the private notes would be read by another mentor.
        require_unchanged(
            self,
            "mentorship",
            why="A meeting stays in the mentorship it was logged in: its notes are that mentor's.",
        )


class ActionItem(models.Model):
    """Something to do after a meeting, owned by the mentor or the resident."""

    class Owner(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        RESIDENT = "resident", "Resident"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=16, choices=Owner.choices, default=Owner.RESIDENT)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "due_on", "pk"]

    def __str__(self) -> str:
        # The description is shared content, not shown to program leadership.
        return f"Action item #{self.pk} ({self.get_owner_display().lower()})"

    def clean(self) -> None:
        require_unchanged(
            self, "meeting", why="An action item stays with the meeting it was agreed in."
        )
