"""The API's one error shape, and the schema that documents it on every operation.

Every error is ``{"status": 400, "code": "invalid", "detail": "…", "fields": {…}}``:
`fields` maps each bad field (or `non_field_errors`) to its messages, and is empty when
the error is not about the input. A `ValidationError` raised by a service (Django's) is
turned into the same 400, so bad input never becomes a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

ERROR_CODES = ("400", "401", "403", "404", "429")


class FieldErrorsField(serializers.DictField):
    child = serializers.ListField(child=serializers.CharField())


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="invalid, not_authenticated, permission_denied, …")
    detail = serializers.CharField()
    fields = FieldErrorsField(help_text="Messages per input field; empty when not about input.")


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]} (dotted paths for nested fields)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            for inner, messages in _flatten(value).items():
                fields[f"{name}.{inner}"] = messages
        else:
            values = value if isinstance(value, list) else [value]
            fields[name] = [str(item) for item in values]
    return fields


def api_exception_handler(exc, context):
    """DRF's handler, with Django's ValidationError as a 400 and every body in one shape."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        if isinstance(detail, dict) and NON_FIELD_ERRORS in detail:
            # Django's "__all__" is DRF's "non_field_errors": one name in the one shape.
            detail = {
                ("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in detail.items()
            }
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        # The access helpers raise Django's exceptions: keep their message and give them
        # the same codes as DRF's own.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "The input is not valid."
        code = "invalid"
    else:
        fields = {}
        message = str(getattr(exc, "detail", "Error."))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = {
        "status": response.status_code,
        "code": code,
        "detail": message,
        "fields": fields,
    }
    return response


class ApiSchema(AutoSchema):
    """Documents the error shape for every status an operation may answer with."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in ERROR_CODES:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses
