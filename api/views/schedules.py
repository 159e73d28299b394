"""Schedules over the API: versions, assignments, who is on service, builds, compliance."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.selectors import (
    schedule_builds,
    schedule_versions,
    version_assignments,
    version_on_service,
)
from api.serializers import (
    AssignmentFilterSerializer,
    AssignmentSerializer,
    BuildFilterSerializer,
    BuildJobSerializer,
    BuildStartSerializer,
    ComplianceRunFilterSerializer,
    ComplianceRunSerializer,
    FindingFilterSerializer,
    FindingSerializer,
    OnServiceQuerySerializer,
    OnServiceSerializer,
    VersionSerializer,
)
from api.views.base import ProgramScoped, etag_response
from compliance.models import ComplianceRun, Finding
from compliance.selectors import run_findings, run_latest
from programs.access import Need
from scheduling.access import build_job_for_access, version_for_access
from scheduling.models import BuildJob
from scheduling.selectors import schedule_working_version
from scheduling.services import builds

ETAG_HEADERS = [
    OpenApiParameter(
        "If-None-Match", str, OpenApiParameter.HEADER, description="A 304 if the ETag matches."
    )
]


class VersionList(ProgramScoped, generics.ListAPIView):
    """The versions of a year's schedule: all of them for schedulers, else the published one."""

    serializer_class = VersionSerializer

    def get_queryset(self):
        return schedule_versions(access=self.access(), schedule=self.schedule())


class AssignmentList(ProgramScoped, generics.ListAPIView):
    """A version's weekly assignments, filterable by week, resident and rotation.

    Drafts are for schedulers (403 for others); a resident sees only their own rows, as on
    their schedule page. The response carries an ETag: send it back in If-None-Match to get
    a 304 when nothing changed.
    """

    serializer_class = AssignmentSerializer

    @extend_schema(
        parameters=[AssignmentFilterSerializer, *ETAG_HEADERS],
        responses={200: AssignmentSerializer(many=True), 304: OpenApiResponse(description="")},
    )
    def get(self, request, slug: str, year: str, number: int):
        access = self.access()
        schedule = self.schedule()
        version = version_for_access(access, schedule, number)
        context = {"year": schedule.academic_year}
        query = AssignmentFilterSerializer(data=request.query_params, context=context)
        query.is_valid(raise_exception=True)
        only = None
        if not access.can_see_roster:
            # A resident's own rows; none at all for a resident role without a record.
            only = access.resident.pk if access.resident else 0
        rows = version_assignments(version=version, only_resident_id=only, **query.validated_data)
        page = self.paginate_queryset(rows)
        data = self.get_paginated_response(
            AssignmentSerializer(page, many=True, context=context).data
        ).data
        return etag_response(request, data)


class OnService(ProgramScoped, generics.GenericAPIView):
    """Who is on each service in a week: for everyone but residents (as the roster)."""

    need = Need.SEE_ROSTER
    serializer_class = OnServiceSerializer

    @extend_schema(parameters=[OnServiceQuerySerializer, *ETAG_HEADERS])
    def get(self, request, slug: str, year: str):
        access = self.access()
        schedule = self.schedule()
        year_row = schedule.academic_year
        query = OnServiceQuerySerializer(data=request.query_params, context={"year": year_row})
        query.is_valid(raise_exception=True)
        week = query.validated_data["week"]
        number = query.validated_data.get("version")
        if number is None:
            version = schedule.published_version
        else:
            version = version_for_access(access, schedule, number)
        data = {
            "week_start": year_row.week_start(week),
            "version": version.number if version else None,
            "services": version_on_service(version=version, week=week) if version else [],
        }
        return etag_response(request, OnServiceSerializer(data).data)


class FindingList(ProgramScoped, generics.ListAPIView):
    """The findings of the year's latest compliance run (or of `run`), most serious first:
    for schedulers, as the compliance dashboard. Empty until a run exists."""

    need = Need.SCHEDULE
    serializer_class = FindingSerializer

    @extend_schema(parameters=[FindingFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        schedule = self.schedule()
        query = FindingFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        number = filters.pop("run", None)
        if number is None:
            run = run_latest(schedule=schedule)
        else:
            run = ComplianceRun.objects.filter(schedule=schedule, pk=number).first()
            if run is None:
                raise NotFound("No such compliance run.")
        if run is None:
            return Finding.objects.none()
        return run_findings(run=run, **filters)


class Builds(ProgramScoped, generics.ListAPIView):
    """GET: the year's builds, newest first, filterable by `status`. POST: start a solver
    build (202 with the job, whose status is at the Location given; 400 when a build is
    already running). Schedulers only, as the build page."""

    need = Need.SCHEDULE
    serializer_class = BuildJobSerializer

    @extend_schema(parameters=[BuildFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        schedule = self.schedule()
        query = BuildFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return schedule_builds(schedule=schedule, **query.validated_data)

    @extend_schema(request=BuildStartSerializer, responses={202: BuildJobSerializer})
    def post(self, request, slug: str, year: str):
        access = self.access()
        schedule = self.schedule()
        form = BuildStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        base = None
        if form.validated_data["mode"] == "resolve":
            base = schedule_working_version(schedule=schedule)
            if base is None:
                raise ValidationError({"mode": "There is no version to re-solve yet."})
        job = builds.build_job_start(
            schedule=schedule,
            by=request.user,
            time_limit_s=form.validated_data["time_limit_s"],
            seed=form.validated_data["seed"],
            base_version=base,
        )
        job.refresh_from_db()  # without a worker the build has already run in-process
        url = reverse("api:build", args=[access.program.slug, year, job.pk])
        return Response(
            BuildJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(url)},
        )


class BuildDetail(ProgramScoped, generics.GenericAPIView):
    """A build's status and live progress (schedulers only)."""

    need = Need.SCHEDULE
    serializer_class = BuildJobSerializer

    def get(self, request, slug: str, year: str, job_id: int):
        job = build_job_for_access(self.access(), self.schedule(), job_id)
        return Response(BuildJobSerializer(builds.build_job_live(job)).data)


class BuildCancel(ProgramScoped, generics.GenericAPIView):
    """Ask a queued or running build to stop (schedulers only): 202 with the job; the solver
    keeps the best schedule found so far. 400 for a build that has already finished."""

    need = Need.SCHEDULE
    serializer_class = BuildJobSerializer

    @extend_schema(request=None, responses={202: BuildJobSerializer})
    def post(self, request, slug: str, year: str, job_id: int):
        job = build_job_for_access(self.access(), self.schedule(), job_id)
        if job.status in BuildJob.FINISHED:
            raise ValidationError(
                {"non_field_errors": [f"This build has already finished ({job.status})."]}
            )
        builds.build_job_cancel(job=job)
        job.refresh_from_db()
        return Response(BuildJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ComplianceRunList(ProgramScoped, generics.ListAPIView):
    """The year's compliance runs, newest first, with their counts (schedulers only, as the
    compliance dashboard); a run's findings are at `findings/?run={id}`."""

    need = Need.SCHEDULE
    serializer_class = ComplianceRunSerializer

    @extend_schema(parameters=[ComplianceRunFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        schedule = self.schedule()
        query = ComplianceRunFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        runs = ComplianceRun.objects.filter(schedule=schedule, **query.validated_data)
        return runs.select_related("version").order_by("-created_at", "-pk")
