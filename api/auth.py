"""How an API call proves who it acts for, what a token may do, and how often.

`Authorization: Bearer rsd_…` acts as the token's user, with their roles; a signed-in
browser session works too (the Swagger UI at `/api/docs/`). Who may see what is not decided
here but by the same access helpers as the pages (`programs.access`).
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.selectors import user_must_set_up_mfa
from api.models import AccessToken
from api.services import access_token_authenticate


class AccessTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; an unknown, expired or revoked token is a 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the token as 'Bearer <token>'.")
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The token is not valid.") from error
        token = access_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        if user_must_set_up_mfa(token.user):
            # The pages send such a person to set up MFA first (RequireDirectorMFAMiddleware);
            # a token made before the program required it must not get round that.
            raise exceptions.PermissionDenied(
                "Your program requires two-factor sign-in: set it up before using the API."
            )
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated call a 401 (not a 403), as RFC 6750 asks.
        return 'Bearer realm="api"'


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = AccessTokenAuthentication
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token, made on /account/tokens/.",
        }


class TokenScope(permissions.BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS): anything else is a 403."""

    message = "This token is read-only."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, AccessToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Calls per token (per user for a browser session), at `API_RATE_LIMIT`.

    The rate is read from the settings on each call so that it can be changed without
    restarting (and in tests).
    """

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, AccessToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
