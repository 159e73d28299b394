"""Two-factor sign-in for tests, through the real allauth pages (password, then TOTP code).

`force_login` does not pass the two-factor step, so a session made with it has not "signed
in with MFA"; tests of the admin sign site operators in with `sign_in_with_mfa` instead.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

#: The factories' password (tests/factories.py).
PASSWORD = "correct horse battery"


def totp_code(secret: str) -> str:
    """The code an authenticator app with `secret` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def give_totp(user, secret: str) -> Authenticator:
    """Set up TOTP (and recovery codes, as allauth does) for `user`."""
    RecoveryCodes.activate(user)
    return TOTP.activate(user, secret).instance


def sign_in_with_mfa(client, user, secret: str) -> None:
    """Sign `user` in on the sign-in page, then pass the TOTP step."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response
    assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
