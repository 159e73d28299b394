"""Read-only questions about accounts."""

from allauth.mfa.models import Authenticator

from programs.models import Role


def user_must_set_up_mfa(user) -> bool:
    """True when the user can edit or publish in a program that requires MFA (any role of
    `Role.SCHEDULING`: managers and chief residents) and has no TOTP authenticator yet."""
    requires = Role.objects.filter(
        user=user, kind__in=Role.SCHEDULING, program__require_mfa_for_directors=True
    ).exists()
    if not requires:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
