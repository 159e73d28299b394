"""What the requests endpoints return and accept (residents by external id, rotations by
code, weeks as the Mondays they start on)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs.models import ResidentRequest
from resident_requests.models import Swap


class CellChangeSerializer(serializers.Serializer):
    resident = serializers.CharField(help_text="External id.")
    name = serializers.CharField()
    week = serializers.IntegerField(help_text="0-based week of the academic year.")
    day = serializers.DateField(help_text="The Monday the week starts on.")
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)


class BreakSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()


class BalanceSerializer(serializers.Serializer):
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)


class PreviewSerializer(serializers.Serializer):
    published = serializers.BooleanField(help_text="False: nothing published to check against.")
    note = serializers.CharField()
    changes = CellChangeSerializer(many=True)
    breaks = BreakSerializer(many=True, help_text="Hard rules the request would break.")
    balance = BalanceSerializer(allow_null=True, help_text="The requester's ambulatory share.")


class RequestSerializer(serializers.ModelSerializer):
    resident = serializers.CharField(source="resident.external_id")
    rotation = serializers.CharField(source="rotation.code", allow_null=True, default=None)
    leave_category = serializers.SerializerMethodField(
        help_text="Directors' and the resident's own eyes only; empty otherwise."
    )

    class Meta:
        model = ResidentRequest
        fields = [
            "id",
            "resident",
            "kind",
            "status",
            "weeks",
            "rotation",
            "leave_category",
            "note",
            "on_behalf",
            "created_at",
            "decided_at",
            "decision_comment",
        ]

    def get_leave_category(self, request) -> str:
        access = self.context["access"]
        own = access.resident is not None and access.resident.pk == request.resident_id
        return request.leave_category if own or self.context.get("sees_category") else ""


class QueuedRequestSerializer(RequestSerializer):
    preview = PreviewSerializer(allow_null=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "preview"]


class RequestSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResidentRequest.Kind.choices)
    weeks = serializers.ListField(
        child=serializers.DateField(), max_length=26, required=False, default=list
    )
    rotation = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    leave_category = serializers.ChoiceField(
        choices=ResidentRequest.LeaveCategory.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    resident = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="Managers only: the external id of the resident it is recorded for.",
    )


class RequestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class SwapSerializer(serializers.ModelSerializer):
    """A swap: residents by external id, weeks as the Mondays they start on."""

    offered_by = serializers.CharField(source="offered_by.external_id", help_text="External id.")
    partner = serializers.CharField(source="partner.external_id", help_text="External id.")
    year = serializers.CharField(source="schedule.academic_year.name")
    weeks = serializers.SerializerMethodField(
        help_text="Weeks whose cells the two residents exchange."
    )
    partner_weeks = serializers.SerializerMethodField(
        help_text="More weeks exchanged, chosen by the partner (often empty)."
    )
    result_version = serializers.IntegerField(
        source="result_version.number",
        allow_null=True,
        default=None,
        help_text="The version that holds the approved swap.",
    )

    class Meta:
        model = Swap
        fields = [
            "id",
            "offered_by",
            "partner",
            "year",
            "weeks",
            "partner_weeks",
            "note",
            "status",
            "created_at",
            "answered_at",
            "decided_at",
            "decision_comment",
            "result_version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DateField()))
    def get_weeks(self, swap) -> list:
        year = swap.schedule.academic_year
        return [year.week_start(week) for week in swap.weeks]

    @extend_schema_field(serializers.ListField(child=serializers.DateField()))
    def get_partner_weeks(self, swap) -> list:
        year = swap.schedule.academic_year
        return [year.week_start(week) for week in swap.partner_weeks]


class QueuedSwapSerializer(SwapSerializer):
    preview = PreviewSerializer(allow_null=True, read_only=True)

    class Meta(SwapSerializer.Meta):
        fields = [*SwapSerializer.Meta.fields, "preview"]


class SwapOfferSerializer(serializers.Serializer):
    partner = serializers.CharField(max_length=64, help_text="The co-resident's external id.")
    weeks = serializers.ListField(
        child=serializers.DateField(),
        min_length=1,
        max_length=26,
        help_text="The Mondays of the weeks whose cells you and the partner exchange.",
    )
    partner_weeks = serializers.ListField(
        child=serializers.DateField(),
        max_length=26,
        required=False,
        default=list,
        help_text="The Mondays of more weeks to exchange, the partner's side of a trade.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class SwapAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[("accept", "accept"), ("refuse", "refuse")])
