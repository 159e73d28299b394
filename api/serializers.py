"""What the API returns and accepts. Rows are named by the program's own keys: residents and
faculty by external id, tracks and rotations by code, years by name, versions by number."""

from rest_framework import serializers

from compliance.models import Finding
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
