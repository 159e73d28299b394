"""The program and everything a schedule is built from, as `spec/program-bundle.md` describes.

Codes (track, rotation) and external ids (resident, faculty) are unique within a program and
are the stable keys of the bundle format, so that re-importing a bundle updates rows in place.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from programs.links import linked_program_id, require_account_link, require_one_program
from programs.querysets import (
    ProgramQuerySet,
    ResidentQuerySet,
)
from programs.validators import (
    FALLBACK_COLOR,
    validate_hex_color,
    validate_printable,
    validate_sane_date,
    validate_url_key,
)
from scheduling import xy


def default_publish_roles() -> list[str]:
    """Who may publish a schedule unless the program says otherwise: the directors."""
    return ["director", "associate_director"]


class Program(models.Model):
    """A residency program, with its X+Y block template."""

    slug = models.SlugField(max_length=64, unique=True, validators=[validate_url_key])
    name = models.CharField(max_length=200, validators=[validate_printable])
    institution = models.CharField(max_length=200, blank=True, validators=[validate_printable])
    timezone = models.CharField(max_length=64, default="America/New_York")
    x_weeks = models.PositiveSmallIntegerField(
        default=3, help_text="Weeks of the inpatient/elective phase."
    )
    y_weeks = models.PositiveSmallIntegerField(
        default=2, help_text="Weeks of the ambulatory phase."
    )
    cohorts = models.PositiveSmallIntegerField(
        default=5, help_text="Staggered groups; must divide x_weeks + y_weeks."
    )
    require_mfa_for_directors = models.BooleanField(
        default=False,
        help_text="Everyone who can edit or publish (directors, coordinators, chief residents) "
        "must use two-factor sign-in.",
    )
    mentoring_meeting_interval_days = models.PositiveSmallIntegerField(
        default=91, help_text="A mentor and mentee should meet at least this often."
    )
    mentoring_conference_interval_days = models.PositiveSmallIntegerField(
        default=365, help_text="A formal career conference at least this often."
    )
    mentoring_digest_sent_at = models.DateTimeField(null=True, blank=True)
    # Roles (Role.Kind values) that may publish a schedule; the others submit for approval.
    publish_roles = models.JSONField(default=default_publish_roles, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(x_weeks__gte=1), name="program_x_weeks_positive"),
            models.CheckConstraint(condition=Q(y_weeks__gte=1), name="program_y_weeks_positive"),
            models.CheckConstraint(condition=Q(cohorts__gte=1), name="program_cohorts_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cycle_weeks(self) -> int:
        return self.x_weeks + self.y_weeks

    @property
    def template_label(self) -> str:
        return f"{self.x_weeks}+{self.y_weeks}"

    def clean(self) -> None:
        unknown = set(self.publish_roles or []) - set(Role.Kind.values)
        if unknown:
            raise ValidationError(
                {"publish_roles": f"Unknown roles: {', '.join(sorted(unknown))}."}
            )
        try:
            xy.cohort_step(x_weeks=self.x_weeks, y_weeks=self.y_weeks, cohorts=self.cohorts)
        except ValueError as error:
            raise ValidationError({"cohorts": str(error)}) from error


class Role(models.Model):
    """A person's role in one program; a person may hold several roles in several programs."""

    class Kind(models.TextChoices):
        DIRECTOR = "director", "Program director"
        ASSOCIATE_DIRECTOR = "associate_director", "Associate program director"
        COORDINATOR = "coordinator", "Program coordinator"
        CHIEF_RESIDENT = "chief_resident", "Chief resident"
        FACULTY = "faculty", "Faculty"
        RESIDENT = "resident", "Resident"

    #: Roles that run the program: they see everyone and may edit.
    MANAGING = frozenset({Kind.DIRECTOR, Kind.ASSOCIATE_DIRECTOR, Kind.COORDINATOR})
    #: Roles that may build and edit schedules (chief residents build, directors approve).
    SCHEDULING = MANAGING | {Kind.CHIEF_RESIDENT}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "kind"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} of {self.program}"


class Track(models.Model):
    """A track of a program (Categorical, Primary Care...) with its ambulatory share band."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    code = models.CharField(max_length=32, validators=[validate_url_key])
    name = models.CharField(max_length=200, validators=[validate_printable])
    ambulatory_min = models.DecimalField(max_digits=4, decimal_places=3)
    ambulatory_max = models.DecimalField(max_digits=4, decimal_places=3)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["program", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="track_code_unique"),
            models.CheckConstraint(
                condition=Q(ambulatory_min__gte=0)
                & Q(ambulatory_max__lte=1)
                & Q(ambulatory_min__lte=F("ambulatory_max")),
                name="track_ambulatory_band_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AcademicYear(models.Model):
    """An academic year of a program: a Monday start and a number of weeks."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="academic_years")
    name = models.CharField(max_length=32, validators=[validate_url_key])
    start = models.DateField(validators=[validate_sane_date])
    weeks = models.PositiveSmallIntegerField(default=52)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["program", "start"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="year_name_unique"),
            models.UniqueConstraint(fields=["program", "start"], name="year_start_unique"),
            models.CheckConstraint(
                condition=Q(weeks__gte=1) & Q(weeks__lte=53), name="year_weeks_range"
            ),
            models.CheckConstraint(condition=Q(start__week_day=2), name="year_starts_monday"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def end(self) -> datetime.date:
        """The last day (a Sunday) of the year's last week."""
        return self.start + datetime.timedelta(weeks=self.weeks, days=-1)

    def week_start(self, index: int) -> datetime.date:
        return self.start + datetime.timedelta(weeks=index)

    def week_index(self, day: datetime.date) -> int | None:
        """The 0-based week of `day` in this year, or None when it falls outside."""
        index = (day - self.start).days // 7
        return index if 0 <= index < self.weeks else None

    def clean(self) -> None:
        if self.start and self.start.weekday() != 0:
            raise ValidationError({"start": "An academic year starts on a Monday."})


class Rotation(models.Model):
    """A rotation (service) residents are assigned to for a week at a time."""

    # The vocabulary is owned by scheduling.xy; these are its database choices.
    Setting = models.TextChoices(
        "Setting", [(key.upper(), (key, label)) for key, label in xy.SETTING_LABELS.items()]
    )
    Phase = models.TextChoices(
        "Phase", [(key.upper(), (key, label)) for key, label in xy.PHASE_LABELS.items()]
    )

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rotations")
    code = models.CharField(max_length=32, validators=[validate_url_key])
    name = models.CharField(max_length=200, validators=[validate_printable])
    setting = models.CharField(max_length=32, choices=Setting.choices)
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.ANY)
    max_consecutive_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    min_run_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    intense = models.BooleanField(
        default=False, help_text="ICU, nights: counts towards the consecutive intense weeks rule."
    )
    experiences = models.JSONField(
        default=list, blank=True, help_text="Required experiences it gives, e.g. geriatrics."
    )
    color = models.CharField(
        max_length=7,
        default=FALLBACK_COLOR,
        validators=[validate_hex_color],
        help_text="Colour on the grid, as #rrggbb.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["program", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="rotation_code_unique"),
            models.CheckConstraint(
                condition=Q(max_consecutive_weeks__isnull=True) | Q(max_consecutive_weeks__gte=1),
                name="rotation_max_consecutive_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_run_weeks__isnull=True) | Q(min_run_weeks__gte=1),
                name="rotation_min_run_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_run_weeks__isnull=True)
                | Q(max_consecutive_weeks__isnull=True)
                | Q(min_run_weeks__lte=F("max_consecutive_weeks")),
                name="rotation_min_run_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_ambulatory(self) -> bool:
        return self.setting == self.Setting.AMBULATORY

    @property
    def is_vacation(self) -> bool:
        return self.setting == self.Setting.VACATION


class StaffingRule(models.Model):
    """How many residents of some PGY levels a rotation needs in every week."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="staffing")
    pgy_levels = models.JSONField(help_text="PGY levels this rule counts, e.g. [2, 3].")
    min_residents = models.PositiveSmallIntegerField(default=0)
    max_residents = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_residents__isnull=True) | Q(min_residents__lte=F("max_residents")),
                name="staffing_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        levels = "/".join(str(level) for level in self.pgy_levels)
        top = "∞" if self.max_residents is None else self.max_residents
        return f"{self.rotation.code} PGY-{levels}: {self.min_residents}–{top}"


class Requirement(models.Model):
    """Weeks a resident of some tracks and PGY levels must spend on some rotations each year."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements")
    all_tracks = models.BooleanField(default=False)
    tracks = models.ManyToManyField(Track, blank=True, related_name="requirements")
    pgy_levels = models.JSONField()
    rotations = models.ManyToManyField(Rotation, related_name="requirements")
    min_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    max_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["program", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_weeks__isnull=True)
                | Q(max_weeks__isnull=True)
                | Q(min_weeks__lte=F("max_weeks")),
                name="requirement_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(min_weeks__isnull=False) | Q(max_weeks__isnull=False),
                name="requirement_has_a_bound",
            ),
        ]

    def __str__(self) -> str:
        low = self.min_weeks if self.min_weeks is not None else 0
        high = self.max_weeks if self.max_weeks is not None else "∞"
        return f"Requirement #{self.position + 1}: {low}–{high} weeks"


class Faculty(models.Model):
    """A faculty member; also their mentor profile."""

    class MentorStatus(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        INACTIVE = "inactive", "Not mentoring"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="faculty")
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200, validators=[validate_printable])
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faculty_records",
    )
    mentor_capacity = models.PositiveSmallIntegerField(default=0)
    interests = models.JSONField(default=list, blank=True)
    clinical_area = models.CharField(max_length=200, blank=True)
    availability = models.CharField(max_length=300, blank=True)
    mentor_status = models.CharField(
        max_length=16, choices=MentorStatus.choices, default=MentorStatus.ACTIVE
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["program", "name"]
        verbose_name_plural = "faculty"
        constraints = [
            models.UniqueConstraint(fields=["program", "external_id"], name="faculty_id_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        require_account_link(self)


class Resident(models.Model):
    """A resident of a program, with their current PGY level, track and (fixed) cohort."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LEAVE = "leave", "On leave"
        GRADUATED = "graduated", "Graduated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="residents")
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200, validators=[validate_printable])
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_records",
    )
    pgy = models.PositiveSmallIntegerField()
    track = models.ForeignKey(Track, on_delete=models.RESTRICT, related_name="residents")
    cohort = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Fixed staggered group; empty lets the scheduler choose."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    career_goals = models.JSONField(default=list, blank=True)
    interests = models.JSONField(default=list, blank=True)
    started_on = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    expected_graduation = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    position = models.PositiveIntegerField(default=0)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "pgy", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "external_id"], name="resident_id_unique"),
            models.CheckConstraint(condition=Q(pgy__gte=1) & Q(pgy__lte=7), name="resident_pgy"),
        ]
        indexes = [models.Index(fields=["program", "pgy", "track"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        require_one_program(self, self.program_id, "track")
        require_account_link(self)


class ResidentRequest(models.Model):
    """A resident's vacation, leave, or a soft wish to prefer or avoid a rotation."""

    class Kind(models.TextChoices):
        VACATION = "vacation", "Vacation"
        LEAVE = "leave", "Leave"
        PREFER = "prefer", "Prefer a rotation"
        AVOID = "avoid", "Avoid a rotation"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class LeaveCategory(models.TextChoices):
        # Shown to directors only (issue 11, privacy of requests).
        MEDICAL = "medical", "Medical"
        PARENTAL = "parental", "Parental"
        PERSONAL = "personal", "Personal"
        OTHER = "other", "Other"

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPROVED)
    rotation = models.ForeignKey(
        Rotation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weeks = models.JSONField(default=list, blank=True, help_text="Week start dates (Mondays).")
    weight = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Made in the app (bundle requests have none of these): who asked, for whom, and the
    # decision. A director may record a request on a resident's behalf.
    leave_category = models.CharField(max_length=16, choices=LeaveCategory.choices, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["resident", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | (Q(weight__gte=1) & Q(weight__lte=10)),
                name="request_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["vacation", "leave"]) | Q(rotation__isnull=False),
                name="request_wish_names_rotation",
            ),
            models.CheckConstraint(
                condition=Q(kind="leave") | Q(leave_category=""),
                name="request_category_only_for_leave",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.resident}"

    def clean(self) -> None:
        require_one_program(self, linked_program_id(self, "resident"), "rotation")
