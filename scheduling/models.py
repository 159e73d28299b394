"""Schedules, their versions and weekly assignments, solver runs and calendar feeds.

A program-year has one `Schedule`; every build or hand edit happens in a draft
`ScheduleVersion`; publishing freezes a version for good and makes it the one residents see.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from programs.links import linked_program_id, require_one_program
from programs.models import AcademicYear, Program, Resident, Rotation, Track
from programs.querysets import RosterQuerySet


class Schedule(models.Model):
    """The schedule of one program for one academic year."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="schedules")
    academic_year = models.OneToOneField(
        AcademicYear, on_delete=models.CASCADE, related_name="schedule"
    )
    published_version = models.ForeignKey(
        "ScheduleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Coalescing mark for the compliance job (ENGINEERING-NOTES: a task claims it with a
    # conditional update, so fifty quick edits give one or two runs).
    compliance_dirty = models.BooleanField(default=False)

    class Meta:
        ordering = ["program", "academic_year__start"]

    def __str__(self) -> str:
        return f"{self.program.slug} {self.academic_year.name}"

    def clean(self) -> None:
        require_one_program(self, self.program_id, "academic_year")


class ScheduleVersion(models.Model):
    """One version of a schedule: a draft being worked on, or a published, immutable one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        DISCARDED = "discarded", "Discarded"

    class Source(models.TextChoices):
        SOLVER = "solver", "Built by the solver"
        RESOLVE = "resolve", "Re-solved"
        COPY = "copy", "Copied for editing"
        IMPORT = "import", "Imported"
        REPLAN = "replan", "Minimal-change re-plan"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SOLVER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The solver's figures for the build that produced this version.
    solver_status = models.CharField(max_length=16, blank=True)
    objective = models.FloatField(null=True, blank=True)
    best_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    first_solution_s = models.FloatField(null=True, blank=True)
    wall_time_s = models.FloatField(null=True, blank=True)
    variables = models.PositiveIntegerField(null=True, blank=True)
    seed = models.IntegerField(null=True, blank=True)
    # A chief resident asked the directors to publish this draft (issue 11).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_note = models.TextField(blank=True)
    # Published although it broke hard rules: the director who confirmed it, and why.
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    violations_at_publish = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["schedule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["schedule"],
                condition=Q(status="published"),
                name="one_published_version_per_schedule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} v{self.number} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class VersionResident(models.Model):
    """A resident as they stand in one version: their cohort, PGY level and track that year."""

    version = models.ForeignKey(
        ScheduleVersion, on_delete=models.CASCADE, related_name="resident_rows"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="version_rows")
    pgy = models.PositiveSmallIntegerField()
    track = models.ForeignKey(Track, on_delete=models.RESTRICT, related_name="+")
    cohort = models.PositiveSmallIntegerField()

    objects = RosterQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "resident"], name="version_resident_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} in v{self.version_id}: PGY-{self.pgy}, cohort {self.cohort}"

    def clean(self) -> None:
        program_id = linked_program_id(self, "version", "schedule.program_id")
        require_one_program(self, program_id, "resident", "track")


class Assignment(models.Model):
    """A resident on a rotation for one week of a version. Leave weeks have no row."""

    version = models.ForeignKey(
        ScheduleVersion, on_delete=models.CASCADE, related_name="assignments"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="assignments")
    week = models.PositiveSmallIntegerField(help_text="0-based week of the academic year.")
    rotation = models.ForeignKey(Rotation, on_delete=models.RESTRICT, related_name="assignments")
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "resident", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "resident", "week"], name="one_assignment_per_resident_week"
            ),
        ]
        indexes = [models.Index(fields=["version", "week", "rotation"])]

    def __str__(self) -> str:
        return f"{self.resident_id} week {self.week + 1}: {self.rotation_id}"

    def clean(self) -> None:
        program_id = linked_program_id(self, "version", "schedule.program_id")
        require_one_program(self, program_id, "resident", "rotation")


class BuildJob(models.Model):
    """One run of the solver for a schedule, with its live progress and its outcome.

    A running job's task writes `heartbeat_at` every few seconds; a job that stops beating
    (its worker died, or the task hit its hard time limit) is failed by
    `builds.build_jobs_fail_stale`. At most one job per schedule is queued or running.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        INFEASIBLE = "infeasible", "Infeasible"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = frozenset({Status.SUCCEEDED, Status.INFEASIBLE, Status.FAILED, Status.CANCELLED})
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="build_jobs")
    base_version = models.ForeignKey(
        ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_version = models.ForeignKey(
        ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    time_limit_s = models.PositiveIntegerField(default=60)
    seed = models.IntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    solutions_found = models.PositiveIntegerField(default=0)
    current_objective = models.FloatField(null=True, blank=True)
    elapsed_s = models.FloatField(default=0)
    explanation = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # A minimal-change re-plan of the published version (`schedule_replan`), and why.
    replan = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    # Weeks before this one were history when the build ran: kept as published.
    history_weeks = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two concurrent build requests give one job: the second insert fails.
            models.UniqueConstraint(
                fields=["schedule"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_build_per_schedule",
            ),
        ]

    def __str__(self) -> str:
        return f"Build #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """An iCal feed behind a secret URL; revoking it kills the URL for good.

    Three kinds: a person's own (their rotations and mentoring meetings, in every program),
    a mentor's meetings in one program (timed, in the program's time zone), and a service
    (who is on one rotation, week by week). A person has at most one live feed of each.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", "My schedule"
        MENTOR = "mentor", "My mentoring meetings"
        SERVICE = "service", "Who is on a service"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSONAL)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rotation = models.ForeignKey(
        Rotation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, kind="personal"),
                name="one_live_feed_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=Q(revoked_at__isnull=True, kind="mentor"),
                name="one_live_mentor_feed_per_program",
            ),
            models.UniqueConstraint(
                fields=["user", "rotation"],
                condition=Q(revoked_at__isnull=True, kind="service"),
                name="one_live_service_feed_per_rotation",
            ),
            models.CheckConstraint(
                condition=Q(kind="personal", program__isnull=True, rotation__isnull=True)
                | Q(kind="mentor", program__isnull=False, rotation__isnull=True)
                | Q(kind="service", program__isnull=False, rotation__isnull=False),
                name="calendar_feed_kind_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed ({self.kind}) of {self.user_id}"

    def clean(self) -> None:
        require_one_program(self, self.program_id, "rotation")


class WishQuestion(models.Model):
    """ "Why didn't I get my wish?": one unmet wish of a resident in one version, and the
    answer a short solver job gave in words (``solver.whynot``).

    Asked once per version, resident and wish: asking again shows the stored answer (a
    failed or timed-out question may be asked again).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        ANSWERED = "answered", "Answered"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        ScheduleVersion, on_delete=models.CASCADE, related_name="wish_questions"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    wish_index = models.PositiveSmallIntegerField(
        help_text="The wish's number in solver.whynot.wishes_of: prefers, then avoids."
    )
    wish_text = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    possible = models.BooleanField(
        null=True, blank=True, help_text="Granted in some schedule; None: not known."
    )
    answer = models.JSONField(default=list, blank=True)
    extra_cost = models.FloatField(null=True, blank=True)
    time_limit_s = models.PositiveIntegerField(default=15)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wish_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "resident", "wish_index"], name="one_question_per_wish"
            ),
        ]

    def __str__(self) -> str:
        return f"Why not wish #{self.wish_index} of {self.resident_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.ANSWERED, self.Status.FAILED)

    @property
    def may_ask_again(self) -> bool:
        """A failed job, or an answer that is not known (no schedule in the time given)."""
        answered = self.status == self.Status.ANSWERED
        return self.status == self.Status.FAILED or (answered and self.possible is None)

    def clean(self) -> None:
        program_id = linked_program_id(self, "version", "schedule.program_id")
        require_one_program(self, program_id, "resident")
