"""What every program-scoped endpoint shares: the access check, pagination, ETags.

An endpoint names the `Need` its page needs; `access()` calls `program_for_user` with it,
so an outsider gets a 404 and a member without the right a 403, exactly as on the pages.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import quote_etag
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from programs.access import Need, ProgramAccess, program_for_user
from scheduling.access import schedule_for_access
from scheduling.models import Schedule


class ProgramScoped:
    """Mixin for views under `/api/v1/programs/{slug}/`."""

    need: Need = Need.VIEW
    request: Request
    kwargs: dict

    def access(self) -> ProgramAccess:
        if not hasattr(self, "_access"):
            self._access = program_for_user(self.request.user, self.kwargs["slug"], self.need)
        return self._access

    def schedule(self) -> Schedule:
        """The schedule of the year in the URL (404 for a year the program does not have)."""
        return schedule_for_access(self.access(), self.kwargs["year"])


def etag_response(request: Request, data) -> Response:
    """`data` with a strong ETag of its content; 304 when the client already holds it.

    Hashing the content (not a version's timestamp) keeps the tag right for drafts whose
    cells change without touching the version row.
    """
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(data, headers=headers)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    raise NotFound("No such endpoint.")
