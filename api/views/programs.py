"""Read endpoints for a program and what its schedules are built from."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.serializers import (
    AcademicYearSerializer,
    BundleImportQuerySerializer,
    BundleImportSerializer,
    FacultySerializer,
    ProgramDetailSerializer,
    ProgramSerializer,
    RequirementSerializer,
    ResidentSerializer,
    RotationSerializer,
    TrackSerializer,
)
from api.views.base import ProgramScoped
from programs.access import Need, programs_for_user, resident_for_user
from programs.bundle import BundleInvalid
from programs.models import AcademicYear, Faculty, Requirement, Resident, Rotation, Track
from programs.services.imports import program_import_bundle


class ProgramList(generics.ListAPIView):
    """The programs in which the caller holds a role."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        return programs_for_user(self.request.user).order_by("name", "slug")


class ProgramDetail(ProgramScoped, generics.GenericAPIView):
    """One program, with the caller's roles in it."""

    serializer_class = ProgramDetailSerializer

    def get(self, request, slug: str):
        access = self.access()
        return Response(ProgramDetailSerializer(access.program, context={"access": access}).data)


class TrackList(ProgramScoped, generics.ListAPIView):
    serializer_class = TrackSerializer

    def get_queryset(self):
        return Track.objects.for_program(self.access().program).order_by("position", "code")


def _filters(serializer_class, request) -> dict:
    """The query's filters, checked (a 400 naming the bad one), without those not given."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {k: v for k, v in query.validated_data.items() if v not in (None, "")}


class RotationFilter(serializers.Serializer):
    setting = serializers.ChoiceField(choices=Rotation.Setting.choices, required=False)
    phase = serializers.ChoiceField(choices=Rotation.Phase.choices, required=False)


class RotationList(ProgramScoped, generics.ListAPIView):
    """The program's rotations in their order, filterable by `setting` and `phase`."""

    serializer_class = RotationSerializer

    @extend_schema(parameters=[RotationFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rotations = Rotation.objects.for_program(self.access().program)
        rotations = rotations.filter(**_filters(RotationFilter, self.request))
        return rotations.prefetch_related("staffing").order_by("position", "code")


class RequirementFilter(serializers.Serializer):
    track = serializers.CharField(
        required=False, max_length=32, help_text="Track code: its requirements and all-track ones."
    )
    rotation = serializers.CharField(required=False, max_length=32, help_text="Rotation code.")


class RequirementList(ProgramScoped, generics.ListAPIView):
    """The program's requirements, filterable by `track` and `rotation` (codes)."""

    serializer_class = RequirementSerializer

    @extend_schema(parameters=[RequirementFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        requirements = Requirement.objects.for_program(self.access().program)
        filters = _filters(RequirementFilter, self.request)
        if "track" in filters:
            requirements = requirements.filter(
                Q(all_tracks=True)
                | Q(pk__in=Requirement.objects.filter(tracks__code=filters["track"]).values("pk"))
            )
        if "rotation" in filters:
            requirements = requirements.filter(
                pk__in=Requirement.objects.filter(rotations__code=filters["rotation"]).values("pk")
            )
        return requirements.prefetch_related("tracks", "rotations").order_by("position", "pk")


class AcademicYearList(ProgramScoped, generics.ListAPIView):
    serializer_class = AcademicYearSerializer

    def get_queryset(self):
        return AcademicYear.objects.for_program(self.access().program).order_by("start")


class RosterFilter(serializers.Serializer):
    pgy = serializers.IntegerField(required=False, min_value=1, max_value=7)
    track = serializers.CharField(required=False, max_length=32, help_text="Track code.")
    status = serializers.ChoiceField(choices=Resident.Status.choices, required=False)


class ResidentList(ProgramScoped, generics.ListAPIView):
    """The roster: for everyone but residents, as the roster page (a resident reads their own
    record at `residents/{external_id}/`)."""

    need = Need.SEE_ROSTER
    serializer_class = ResidentSerializer

    @extend_schema(parameters=[RosterFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = RosterFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        residents = Resident.objects.for_program(self.access().program).filtered(
            pgy=filters.get("pgy"), track=filters.get("track")
        )
        if filters.get("status"):
            residents = residents.filter(status=filters["status"])
        return residents.select_related("track").order_by("external_id")


class ResidentDetail(ProgramScoped, generics.GenericAPIView):
    """One resident: anyone on the roster side, or the resident themselves."""

    serializer_class = ResidentSerializer

    @extend_schema(parameters=[OpenApiParameter("external_id", str, OpenApiParameter.PATH)])
    def get(self, request, slug: str, external_id: str):
        access = self.access()
        pk = (
            Resident.objects.filter(program=access.program, external_id=external_id)
            .values_list("pk", flat=True)
            .first()
        )
        resident = resident_for_user(access, pk if pk is not None else -1)
        return Response(ResidentSerializer(resident).data)


class FacultyFilter(serializers.Serializer):
    mentor_status = serializers.ChoiceField(choices=Faculty.MentorStatus.choices, required=False)


class FacultyList(ProgramScoped, generics.ListAPIView):
    """The program's faculty by id, filterable by `mentor_status` (everyone but residents)."""

    need = Need.SEE_ROSTER
    serializer_class = FacultySerializer

    @extend_schema(parameters=[FacultyFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        faculty = Faculty.objects.for_program(self.access().program)
        return faculty.filter(**_filters(FacultyFilter, self.request)).order_by("external_id")


class BundleImport(ProgramScoped, generics.GenericAPIView):
    """Import a residency-bundle/1 document (the body) into this program: directors and
    coordinators, as the import page. All or nothing: a bundle with problems is a 400 whose
    `fields` name every problem by its JSON path (`$.residents[3].pgy`), and nothing is
    saved. `?dry_run=true` reports what would change without saving it."""

    need = Need.MANAGE
    serializer_class = BundleImportSerializer

    @extend_schema(
        parameters=[BundleImportQuerySerializer],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={200: BundleImportSerializer},
    )
    def post(self, request, slug: str):
        program = self.access().program
        query = BundleImportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            summary = program_import_bundle(
                raw=request.body,
                program=program,
                dry_run=query.validated_data["dry_run"],
                by=request.user,
            )
        except BundleInvalid as error:
            problems: dict[str, list[str]] = {}
            for problem in error.problems:
                problems.setdefault(problem.path, []).append(problem.message)
            raise ValidationError(problems) from None
        return Response(BundleImportSerializer(summary).data)
