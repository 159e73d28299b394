"""Writes for personal access tokens: make one (shown once), revoke it, note its use."""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from api.models import AccessToken

TOKEN_PREFIX = "rsd_"
#: How long a token lives when its maker does not say; and the longest it may live.
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 366
#: `last_used_at` is written at most this often per token (not on every request).
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret to show once (it is not stored)."""

    token: AccessToken
    secret: str


def access_token_create(
    *, user, name: str, scope: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS
) -> NewToken:
    """Make a token for `user`; return it with its secret, which only this call ever sees.

    The token reads `rsd_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the
    whole string is compared in constant time.
    """
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValueError(f"A token lives between 1 and {MAX_LIFETIME_DAYS} days.")
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = AccessToken(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=token_hash(raw),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    with transaction.atomic():
        token.full_clean()
        token.save()
    return NewToken(token=token, secret=raw)


def access_token_revoke(*, token: AccessToken) -> None:
    """Revoke `token` for good (a second revoke keeps the first time)."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def access_token_authenticate(*, raw: str) -> AccessToken | None:
    """The live token `raw` names, with its user, or None (unknown, revoked, expired, or its
    owner deactivated). Notes its use, at most once a minute."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, rest = raw.removeprefix(TOKEN_PREFIX).partition("_")
    if not prefix or not rest:
        return None
    token = AccessToken.objects.live().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
