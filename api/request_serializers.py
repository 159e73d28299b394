"""What the requests endpoints return and accept (residents by external id, rotations by
code, weeks as the Mondays they start on)."""

from rest_framework import serializers

from programs.models import ResidentRequest


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
