"""What the API returns and accepts. Rows are named by the program's own keys: residents and
faculty by external id, tracks and rotations by code, years by name, versions by number."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.models import ComplianceRun, Finding
from mentoring.access import viewer_of
from mentoring.models import ActionItem, Meeting, Mentorship
from programs.models import AcademicYear, Faculty, Program, Requirement, Resident, Rotation, Track
from scheduling.models import BuildJob, ScheduleVersion


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", "name", "institution", "timezone", "x_weeks", "y_weeks", "cohorts"]


class ProgramDetailSerializer(ProgramSerializer):
    roles = serializers.SerializerMethodField(help_text="The caller's roles in the program.")

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "roles"]

    def get_roles(self, program) -> list[str]:
        return sorted(self.context["access"].roles)


class TrackSerializer(serializers.ModelSerializer):
    ambulatory_min = serializers.FloatField()
    ambulatory_max = serializers.FloatField()

    class Meta:
        model = Track
        fields = ["code", "name", "ambulatory_min", "ambulatory_max"]


class StaffingSerializer(serializers.Serializer):
    pgy_levels = serializers.ListField(child=serializers.IntegerField())
    min_residents = serializers.IntegerField()
    max_residents = serializers.IntegerField(allow_null=True)


class RotationSerializer(serializers.ModelSerializer):
    experiences = serializers.ListField(child=serializers.CharField())
    staffing = StaffingSerializer(many=True, read_only=True)

    class Meta:
        model = Rotation
        fields = [
            "code",
            "name",
            "setting",
            "phase",
            "intense",
            "max_consecutive_weeks",
            "min_run_weeks",
            "experiences",
            "color",
            "staffing",
        ]


class RequirementSerializer(serializers.ModelSerializer):
    tracks = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    rotations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    pgy_levels = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = Requirement
        fields = ["position", "all_tracks", "tracks", "pgy_levels", "rotations"]
        fields += ["min_weeks", "max_weeks"]


class AcademicYearSerializer(serializers.ModelSerializer):
    end = serializers.DateField(read_only=True)

    class Meta:
        model = AcademicYear
        fields = ["name", "start", "end", "weeks"]


class ResidentSerializer(serializers.ModelSerializer):
    track = serializers.CharField(source="track.code")

    class Meta:
        model = Resident
        fields = ["external_id", "name", "email", "pgy", "track", "cohort", "status"]


class FacultySerializer(serializers.ModelSerializer):
    class Meta:
        model = Faculty
        fields = ["external_id", "name", "email", "clinical_area", "mentor_status"]


class VersionSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent.number", allow_null=True, default=None)

    class Meta:
        model = ScheduleVersion
        fields = ["number", "status", "source", "parent", "note", "created_at"]
        fields += ["published_at", "solver_status", "objective", "gap", "wall_time_s"]


class AssignmentSerializer(serializers.Serializer):
    """One resident on one rotation for one week (rows from `selectors.version_assignments`)."""

    resident = serializers.CharField(source="resident_external_id")
    week = serializers.IntegerField(help_text="0-based week of the academic year.")
    week_start = serializers.SerializerMethodField()
    rotation = serializers.CharField(source="rotation_code")
    pinned = serializers.BooleanField()

    def get_week_start(self, row) -> str:
        return self.context["year"].week_start(row["week"]).isoformat()


class AssignmentFilterSerializer(serializers.Serializer):
    week = serializers.DateField(required=False, help_text="Any day of the week (YYYY-MM-DD).")
    resident = serializers.CharField(required=False, max_length=64, help_text="External id.")
    rotation = serializers.CharField(required=False, max_length=32, help_text="Rotation code.")

    def validate_week(self, day):
        index = self.context["year"].week_index(day)
        if index is None:
            raise serializers.ValidationError("This day is outside the academic year.")
        return index


class OnServiceQuerySerializer(serializers.Serializer):
    week = serializers.DateField(help_text="Any day of the week (YYYY-MM-DD).")
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Version number; the published one by default."
    )

    def validate_week(self, day):
        index = self.context["year"].week_index(day)
        if index is None:
            raise serializers.ValidationError("This day is outside the academic year.")
        return index


class OnServiceResidentSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    name = serializers.CharField()
    pgy = serializers.IntegerField()


class ServiceSerializer(serializers.Serializer):
    rotation = serializers.CharField()
    name = serializers.CharField()
    residents = OnServiceResidentSerializer(many=True)


class OnServiceSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    version = serializers.IntegerField(allow_null=True)
    services = ServiceSerializer(many=True)


class FindingSerializer(serializers.ModelSerializer):
    resident = serializers.CharField(source="resident.external_id", allow_null=True, default=None)
    rotation = serializers.CharField(source="rotation_code")
    weeks = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = Finding
        fields = ["severity", "rule_id", "reference", "resident", "rotation", "academic_year"]
        fields += ["weeks", "message", "figure", "limit"]


class FindingFilterSerializer(serializers.Serializer):
    run = serializers.IntegerField(
        required=False, min_value=1, help_text="A compliance run's id; the latest by default."
    )
    severity = serializers.ChoiceField(choices=Finding.Severity.choices, required=False)
    rule = serializers.CharField(required=False, max_length=64)


class BuildStartSerializer(serializers.Serializer):
    time_limit_s = serializers.IntegerField(min_value=1, max_value=600)
    seed = serializers.IntegerField(default=0, min_value=0, max_value=2**31 - 1)
    mode = serializers.ChoiceField(
        choices=[("scratch", "Build from scratch"), ("resolve", "Re-solve the working version")],
        default="scratch",
    )


class BuildJobSerializer(serializers.ModelSerializer):
    result_version = serializers.IntegerField(
        source="result_version.number", allow_null=True, default=None
    )
    base_version = serializers.IntegerField(
        source="base_version.number", allow_null=True, default=None
    )

    class Meta:
        model = BuildJob
        fields = ["id", "status", "time_limit_s", "seed", "base_version", "result_version"]
        fields += ["solutions_found", "current_objective", "elapsed_s", "explanation", "error"]
        fields += ["created_at", "started_at", "finished_at"]


class BuildFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BuildJob.Status.choices, required=False)


class ComplianceRunSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)

    class Meta:
        model = ComplianceRun
        fields = ["id", "created_at", "trigger", "version", "duration_s"]
        fields += ["critical_count", "warning_count", "info_count", "residents_out_of_compliance"]


class ComplianceRunFilterSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=ComplianceRun.Trigger.choices, required=False)


class MentorshipSerializer(serializers.ModelSerializer):
    """A mentorship, its people by the program's ids, and how the caller stands towards it."""

    mentor = serializers.CharField(source="mentor.external_id")
    mentor_name = serializers.CharField(source="mentor.name")
    resident = serializers.CharField(source="resident.external_id")
    resident_name = serializers.CharField(source="resident.name")
    viewer = serializers.SerializerMethodField(help_text="mentor, resident or manager.")
    meeting_count = serializers.IntegerField()
    last_meeting_on = serializers.DateField(allow_null=True)

    class Meta:
        model = Mentorship
        fields = ["id", "mentor", "mentor_name", "resident", "resident_name", "started_on"]
        fields += ["ended_on", "viewer", "meeting_count", "last_meeting_on"]

    def get_viewer(self, mentorship) -> str:
        return str(viewer_of(self.context["access"], mentorship))


class MentorshipFilterSerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    mentor = serializers.CharField(required=False, max_length=64, help_text="External id.")
    resident = serializers.CharField(required=False, max_length=64, help_text="External id.")


class ActionItemSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    owner = serializers.ChoiceField(choices=ActionItem.Owner.choices, default="resident")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    done = serializers.SerializerMethodField()

    def get_done(self, item) -> bool:
        return getattr(item, "done_at", None) is not None


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "example": "16:30",
        "description": "A wall-clock time (HH:MM) in the program's time zone.",
    }
)
class LocalTimeField(serializers.TimeField):
    """HH:MM on the program's wall clock: no offset, so not an RFC 3339 `time`."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class MeetingSerializer(serializers.Serializer):
    """A meeting as the caller may see it: `goals_discussed`, `action_items` and
    `resident_reflection` are null for a manager; `private_notes` is null for everyone but
    the mentor."""

    id = serializers.IntegerField(source="pk")
    occurred_on = serializers.DateField()
    start_time = LocalTimeField(allow_null=True)
    duration_minutes = serializers.IntegerField()
    format = serializers.ChoiceField(choices=Meeting.Format.choices)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    topics = serializers.ListField(child=serializers.CharField())
    confirmed = serializers.SerializerMethodField()
    open_items = serializers.IntegerField()
    done_items = serializers.IntegerField()
    goals_discussed = serializers.CharField(allow_null=True)
    action_items = ActionItemSerializer(many=True, allow_null=True)
    resident_reflection = serializers.CharField(allow_null=True)
    private_notes = serializers.CharField(allow_null=True)

    def get_confirmed(self, view) -> bool:
        return view.confirmed_at is not None


class MeetingLogSerializer(serializers.Serializer):
    """A meeting for its mentor to record (the rules are `mentoring.services.meetings`)."""

    occurred_on = serializers.DateField()
    start_time = LocalTimeField(required=False, allow_null=True, default=None)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600)
    format = serializers.ChoiceField(choices=Meeting.Format.choices, default="in_person")
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default="regular")
    topics = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=20, default=list
    )
    goals_discussed = serializers.CharField(
        max_length=5000, allow_blank=True, default="", trim_whitespace=True
    )
    private_notes = serializers.CharField(
        max_length=5000, allow_blank=True, default="", help_text="Only ever shown to you."
    )
    action_items = ActionItemSerializer(many=True, default=list, max_length=10)


class MeetingUpdateSerializer(serializers.Serializer):
    """A logged meeting as its mentor changes it within the edit window (action items and
    the start time are kept as they are)."""

    occurred_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600)
    format = serializers.ChoiceField(choices=Meeting.Format.choices)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=20, default=list
    )
    goals_discussed = serializers.CharField(
        max_length=5000, allow_blank=True, default="", trim_whitespace=True
    )
    private_notes = serializers.CharField(
        max_length=5000, allow_blank=True, default="", help_text="Only ever shown to you."
    )


class BundleImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text="Check and report what would change, saving nothing."
    )


class KindChangesSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField())
    updated = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    unchanged = serializers.IntegerField()


class BundleImportSerializer(serializers.Serializer):
    """What an import changed (or, with `dry_run`, would change), per kind of record."""

    program = serializers.CharField(source="slug")
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    removed = serializers.IntegerField()
    kinds = serializers.DictField(child=KindChangesSerializer())
