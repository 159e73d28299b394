"""Requests over the API, as on the pages: a resident lists and submits their own requests
(a manager may record one for a resident); chief residents and managers read the queue,
with each request's preview, and decide."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from api.request_serializers import (
    QueuedRequestSerializer,
    RequestDecisionSerializer,
    RequestSerializer,
    RequestSubmitSerializer,
)
from api.views.base import ProgramScoped
from programs.access import Need
from programs.models import Resident, ResidentRequest, Rotation
from resident_requests import selectors, services
from resident_requests.access import request_for_access, sees_leave_category


class MyRequestList(ProgramScoped, generics.ListAPIView):
    """The caller's own requests (none for someone without a resident record)."""

    serializer_class = RequestSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": self.access()}

    def get_queryset(self):
        resident = self.access().resident
        if resident is None:
            return ResidentRequest.objects.none()
        return selectors.requests_of_resident(resident=resident)


def _preview_data(preview) -> dict | None:
    if preview is None:
        return None
    return {
        "published": preview.published,
        "note": preview.note,
        "changes": [asdict(change) for change in preview.changes],
        "breaks": [{"rule": v.rule, "message": v.message} for v in preview.breaks],
        "balance": (
            {"before": preview.balance.before, "after": preview.balance.after}
            if preview.balance
            else None
        ),
    }


class RequestQueue(ProgramScoped, generics.ListAPIView):
    """Pending requests, oldest first, each with what granting it does (schedulers only)."""

    need = Need.SCHEDULE
    serializer_class = QueuedRequestSerializer

    def list(self, request, *args, **kwargs):
        access = self.access()
        items = [
            item
            for item in selectors.request_queue(program=access.program)
            if item.kind == "request"
        ]
        for item in items:
            item.obj.preview = _preview_data(item.preview)
        context = {"access": access, "sees_category": sees_leave_category(access)}
        page = self.paginate_queryset([item.obj for item in items])
        data = QueuedRequestSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


class RequestSubmit(ProgramScoped, generics.GenericAPIView):
    """Submit a request for yourself (residents), or record one for a resident (managers,
    naming `resident`). Refused with every reason (400) when it breaks a program limit."""

    serializer_class = RequestSubmitSerializer

    @extend_schema(responses={201: RequestSerializer})
    def post(self, request, slug: str):
        access = self.access()
        form = RequestSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        on_behalf = bool(data["resident"])
        if on_behalf:
            if not access.can_manage:
                raise PermissionDenied("Only managers record requests for a resident.")
            resident = Resident.objects.filter(
                program=access.program, external_id=data["resident"]
            ).first()
            if resident is None:
                raise ValidationError({"resident": ["No such resident in this program."]})
        elif access.resident is None:
            if access.can_manage:
                raise ValidationError({"resident": ["Name the resident you record it for."]})
            raise PermissionDenied("Only residents ask for themselves.")
        else:
            resident = access.resident
        resident.program = access.program
        rotation = None
        if data["rotation"]:
            rotation = (
                Rotation.objects.for_program(access.program).filter(code=data["rotation"]).first()
            )
            if rotation is None:
                raise ValidationError({"rotation": ["No such rotation in this program."]})
        created = services.request_submit(
            resident=resident,
            kind=data["kind"],
            weeks=data["weeks"],
            by=request.user,
            rotation=rotation,
            leave_category=data["leave_category"],
            note=data["note"],
            on_behalf=on_behalf,
        )
        body = RequestSerializer(created, context={"access": access}).data
        return Response(body, status=status.HTTP_201_CREATED)


class RequestDecision(ProgramScoped, generics.GenericAPIView):
    """Approve or decline a pending request (schedulers; a decline needs a comment)."""

    need = Need.SCHEDULE
    serializer_class = RequestDecisionSerializer

    @extend_schema(responses={200: RequestSerializer})
    def post(self, request, slug: str, pk: int):
        access = self.access()
        item = request_for_access(access, pk, decide=True)
        form = RequestDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decided = services.request_decide(
            request=item,
            approve=form.validated_data["decision"] == "approve",
            by=request.user,
            comment=form.validated_data["comment"],
        )
        context = {"access": access, "sees_category": sees_leave_category(access)}
        return Response(RequestSerializer(decided, context=context).data)
