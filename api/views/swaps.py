"""Swaps over the API, as on the pages: a resident lists the swaps offered to them and by
them, offers one to a co-resident, and the partner accepts or refuses it; chief residents
and managers read the agreed swaps with their previews and decide. Access goes through
`resident_requests.access.swap_for_access`, errors in the API's one shape."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from api.request_serializers import (
    QueuedSwapSerializer,
    RequestDecisionSerializer,
    SwapAnswerSerializer,
    SwapOfferSerializer,
    SwapSerializer,
)
from api.views.base import ProgramScoped
from api.views.resident_requests import _preview_data
from programs.access import Need
from programs.models import Resident
from resident_requests import selectors, services
from resident_requests.access import swap_for_access
from resident_requests.models import Swap
from resident_requests.preview import year_for_weeks
from scheduling.models import Schedule

DIRECTIONS = {"to_me": "partner", "by_me": "offered_by"}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "direction",
            str,
            enum=list(DIRECTIONS),
            required=False,
            description="to_me: swaps offered to you; by_me: swaps you offered; both if absent.",
        )
    ]
)
class MySwapList(ProgramScoped, generics.ListAPIView):
    """Swaps offered to the caller and by the caller, newest first (none for someone without
    a resident record)."""

    serializer_class = SwapSerializer

    def get_queryset(self):
        resident = self.access().resident
        direction = self.request.query_params.get("direction", "")
        if direction and direction not in DIRECTIONS:
            raise ValidationError({"direction": ["Choose to_me or by_me."]})
        if resident is None:
            return Swap.objects.none()
        swaps = selectors.swaps_of_resident(resident=resident)
        if direction:
            swaps = swaps.filter(**{DIRECTIONS[direction]: resident})
        return swaps.order_by("-created_at", "-pk")


class SwapOffer(ProgramScoped, generics.GenericAPIView):
    """Offer a co-resident your weeks, or a trade of weeks, in the published schedule that
    holds them. Refused with every reason (400) by the program's limits and the hard rules;
    the partner then accepts or refuses."""

    serializer_class = SwapOfferSerializer

    @extend_schema(responses={201: SwapSerializer})
    def post(self, request, slug: str):
        access = self.access()
        if access.resident is None:
            raise PermissionDenied("Only residents offer swaps.")
        form = SwapOfferSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        partner = Resident.objects.filter(
            program=access.program, external_id=data["partner"]
        ).first()
        if partner is None:
            raise ValidationError({"partner": ["No such resident in this program."]})
        year = year_for_weeks(program=access.program, weeks=data["weeks"])
        schedule = (
            Schedule.objects.filter(academic_year=year, published_version__isnull=False)
            .select_related("academic_year__program", "published_version")
            .first()
            if year
            else None
        )
        if schedule is None:
            raise ValidationError({"weeks": ["No published schedule holds these weeks."]})
        me = access.resident
        me.program = access.program
        swap = services.swap_offer(
            schedule=schedule,
            offered_by=me,
            partner=partner,
            weeks=[(day - year.start).days // 7 for day in data["weeks"]],
            partner_weeks=[(day - year.start).days // 7 for day in data["partner_weeks"]],
            by=request.user,
            note=data["note"],
        )
        return Response(SwapSerializer(swap).data, status=status.HTTP_201_CREATED)


class SwapAnswer(ProgramScoped, generics.GenericAPIView):
    """The partner accepts (it goes to the chiefs and directors) or refuses a swap."""

    serializer_class = SwapAnswerSerializer

    @extend_schema(responses={200: SwapSerializer})
    def post(self, request, slug: str, pk: int):
        swap = swap_for_access(self.access(), pk, as_role="partner")
        form = SwapAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        swap = services.swap_answer(
            swap=swap, accept=form.validated_data["answer"] == "accept", by=request.user
        )
        return Response(SwapSerializer(swap).data)


class SwapQueue(ProgramScoped, generics.ListAPIView):
    """Swaps both residents agreed to, oldest first, each with what approving it does
    (schedulers only)."""

    need = Need.SCHEDULE
    serializer_class = QueuedSwapSerializer

    def list(self, request, *args, **kwargs):
        items = [
            item
            for item in selectors.request_queue(program=self.access().program)
            if item.kind == "swap"
        ]
        for item in items:
            item.obj.preview = _preview_data(item.preview)
        page = self.paginate_queryset([item.obj for item in items])
        return self.get_paginated_response(QueuedSwapSerializer(page, many=True).data)


class SwapDecision(ProgramScoped, generics.GenericAPIView):
    """Approve (a new version with exactly the swapped cells, published when the caller may
    publish) or decline an agreed swap (schedulers; a decline needs a comment)."""

    need = Need.SCHEDULE
    serializer_class = RequestDecisionSerializer

    @extend_schema(responses={200: SwapSerializer})
    def post(self, request, slug: str, pk: int):
        swap = swap_for_access(self.access(), pk, as_role="decider")
        form = RequestDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        swap = services.swap_decide(
            swap=swap,
            approve=form.validated_data["decision"] == "approve",
            by=request.user,
            comment=form.validated_data["comment"],
        )
        return Response(SwapSerializer(swap).data)
