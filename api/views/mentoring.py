"""Mentorships and their meetings over the API, with the pages' privacy rules
(`mentoring.access`): a mentor sees everything of their own mentorships, private notes
included; their resident the shared parts; a manager the metadata; everyone else nothing.
Only the mentor records a meeting."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.selectors import mentorships_visible
from api.serializers import (
    MeetingLogSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    MentorshipFilterSerializer,
    MentorshipSerializer,
)
from api.views.base import ProgramScoped
from mentoring.access import (
    MentoringNeed,
    meeting_for_user,
    mentoring_access,
    mentorship_for_user,
)
from mentoring.models import Meeting
from mentoring.selectors.mentorships import meeting_view, meeting_views
from mentoring.services.meetings import ActionItemInput, meeting_log, meeting_update
from programs.access import ProgramAccess

ID = [OpenApiParameter("id", int, OpenApiParameter.PATH, description="The mentorship's id.")]


class MentoringScoped(ProgramScoped):
    def access(self) -> ProgramAccess:
        # The caller's own faculty and resident records, whatever their roles.
        if not hasattr(self, "_access"):
            self._access = mentoring_access(self.request.user, self.kwargs["slug"], self.need)
        return self._access


class MentorshipList(MentoringScoped, generics.ListAPIView):
    """The mentorships the caller mentors, is mentored in, or (directors and coordinators)
    manages; filterable by `active`, `mentor` and `resident` (external ids)."""

    serializer_class = MentorshipSerializer

    @extend_schema(parameters=[MentorshipFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = MentorshipFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return mentorships_visible(access=self.access(), **query.validated_data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": self.access()}


class MeetingList(MentoringScoped, generics.ListAPIView):
    """GET: the mentorship's meetings, newest first, as the caller may see them (private
    notes to the mentor only). POST: the mentor records a meeting (201); anyone else gets a
    403, a mentorship that ended a 400."""

    serializer_class = MeetingSerializer

    @extend_schema(parameters=ID)
    def get(self, request, slug: str, id: int):
        seen = mentorship_for_user(self.access(), id, MentoringNeed.METADATA)
        meetings = Meeting.objects.filter(mentorship=seen.mentorship)
        page = self.paginate_queryset(meeting_views(meetings=meetings, viewer=seen.viewer))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(parameters=ID, request=MeetingLogSerializer, responses={201: MeetingSerializer})
    def post(self, request, slug: str, id: int):
        seen = mentorship_for_user(self.access(), id, MentoringNeed.LOG)
        form = MeetingLogSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        items = [
            ActionItemInput(description=i["description"], owner=i["owner"], due_on=i["due_on"])
            for i in data.pop("action_items")
        ]
        meeting = meeting_log(
            mentorship=seen.mentorship, by=request.user, action_items=items, **data
        )
        body = MeetingSerializer(meeting_view(meeting=meeting, viewer=seen.viewer)).data
        return Response(body, status=status.HTTP_201_CREATED)


MEETING_ID = [
    *ID,
    OpenApiParameter("meeting_id", int, OpenApiParameter.PATH, description="The meeting's id."),
]


class MeetingDetail(MentoringScoped, generics.GenericAPIView):
    """PUT: the mentor changes a meeting they logged, within the edit window, through the
    same service as the page (`meeting_update`), which records the change in the program's
    history; anyone else gets a 403 (or a 404 when the meeting is not theirs to see)."""

    serializer_class = MeetingUpdateSerializer

    def get_object(self):
        """The meeting, for its mentor (also what DRF's OPTIONS answer checks)."""
        granted = meeting_for_user(self.access(), self.kwargs["meeting_id"], MentoringNeed.LOG)
        if granted.meeting.mentorship_id != self.kwargs["id"]:
            raise NotFound("No such meeting in this mentorship.")
        return granted

    @extend_schema(parameters=MEETING_ID, responses={200: MeetingSerializer})
    def put(self, request, slug: str, id: int, meeting_id: int):
        granted = self.get_object()
        meeting = granted.meeting
        form = MeetingUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = Meeting.objects.select_related(
            "mentorship__mentor", "mentorship__resident", "mentorship__program"
        ).get(pk=meeting.pk)  # with its private notes, which the change replaces
        meeting = meeting_update(meeting=meeting, by=request.user, **form.validated_data)
        return Response(
            MeetingSerializer(meeting_view(meeting=meeting, viewer=granted.viewer)).data
        )
