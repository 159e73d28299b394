"""Personal access tokens for the REST API (`/api/v1/`).

A token acts as the user who made it, with their roles, in every program: the API goes
through the same access helpers as the pages. Only a SHA-256 of the secret is stored; the
token itself is shown once, when it is made. The prefix (its first characters, not secret
on their own) finds the row; the hash proves the rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.validators import validate_printable


class AccessTokenQuerySet(models.QuerySet):
    def live(self, *, now=None):
        """Tokens that still work: not revoked, not expired, and their owner still active."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class AccessToken(models.Model):
    """A user's personal access token: read-only or read-write, always expiring."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100, validators=[validate_printable])
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the token, in hex.")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="access_token_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def read_only(self) -> bool:
        return self.scope == self.Scope.READ

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
