"""The REST API (`/api/v1/`), its OpenAPI schema and its docs. Everything under a program is
addressed by the program's slug and its own keys (year names, version numbers, external ids)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import mentoring, programs, resident_requests, schedules, swaps
from api.views.base import not_found

app_name = "api"

P = "v1/programs/<str:slug>/"
S = P + "schedules/<str:year>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/programs/", programs.ProgramList.as_view(), name="program_list"),
    path(P, programs.ProgramDetail.as_view(), name="program"),
    path(P + "tracks/", programs.TrackList.as_view(), name="tracks"),
    path(P + "rotations/", programs.RotationList.as_view(), name="rotations"),
    path(P + "requirements/", programs.RequirementList.as_view(), name="requirements"),
    path(P + "academic-years/", programs.AcademicYearList.as_view(), name="academic_years"),
    path(P + "residents/", programs.ResidentList.as_view(), name="residents"),
    path(P + "residents/<str:external_id>/", programs.ResidentDetail.as_view(), name="resident"),
    path(P + "faculty/", programs.FacultyList.as_view(), name="faculty"),
    path(S + "versions/", schedules.VersionList.as_view(), name="versions"),
    path(
        S + "versions/<int:number>/assignments/",
        schedules.AssignmentList.as_view(),
        name="assignments",
    ),
    path(S + "on-service/", schedules.OnService.as_view(), name="on_service"),
    path(S + "builds/", schedules.Builds.as_view(), name="builds"),
    path(S + "builds/<int:job_id>/", schedules.BuildDetail.as_view(), name="build"),
    path(S + "builds/<int:job_id>/cancel/", schedules.BuildCancel.as_view(), name="build_cancel"),
    path(P + "bundle/", programs.BundleImport.as_view(), name="bundle_import"),
    path(P + "mentorships/", mentoring.MentorshipList.as_view(), name="mentorships"),
    path(P + "mentorships/<int:id>/meetings/", mentoring.MeetingList.as_view(), name="meetings"),
    path(
        P + "mentorships/<int:id>/meetings/<int:meeting_id>/",
        mentoring.MeetingDetail.as_view(),
        name="meeting",
    ),
    path(
        P + "compliance/<str:year>/runs/",
        schedules.ComplianceRunList.as_view(),
        name="compliance_runs",
    ),
    path(
        P + "compliance/<str:year>/findings/",
        schedules.FindingList.as_view(),
        name="findings",
    ),
    path(P + "requests/", resident_requests.RequestSubmit.as_view(), name="request_submit"),
    path(P + "requests/mine/", resident_requests.MyRequestList.as_view(), name="my_requests"),
    path(P + "requests/queue/", resident_requests.RequestQueue.as_view(), name="request_queue"),
    path(
        P + "requests/<int:pk>/decision/",
        resident_requests.RequestDecision.as_view(),
        name="request_decision",
    ),
    path(P + "swaps/", swaps.SwapOffer.as_view(), name="swap_offer"),
    path(P + "swaps/mine/", swaps.MySwapList.as_view(), name="my_swaps"),
    path(P + "swaps/queue/", swaps.SwapQueue.as_view(), name="swap_queue"),
    path(P + "swaps/<int:pk>/answer/", swaps.SwapAnswer.as_view(), name="swap_answer"),
    path(P + "swaps/<int:pk>/decision/", swaps.SwapDecision.as_view(), name="swap_decision"),
    # Anything else under /api/ is a 404 in the API's error shape, not the HTML page.
    re_path(r"^.*$", not_found, name="not_found"),
]
