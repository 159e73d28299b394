"""Production settings: what they refuse to start without, and whom they trust.

`residency.settings.production` is run as a module (in-process, with the environment a test
sets) to read what it decides; starting Django with it takes a subprocess.
"""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from residency.checks import redis_url_set

SECRET = "a-test-only-secret-key-that-is-long-and-random-enough-0123456789abcdef"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def production(monkeypatch):
    """The production settings as a dict, for the environment given as keyword arguments."""

    def load(**env: str) -> dict:
        monkeypatch.setenv("SECRET_KEY", SECRET)
        for name in ("ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_module("residency.settings.production")

    return load


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "residency.settings.production",
        "SECRET_KEY": SECRET,
        "REDIS_URL": "",  # set and empty: a developer's .env cannot fill it in
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_redis():
    result = _manage("check")

    assert result.returncode != 0
    assert "residency.E001" in result.stderr and "REDIS_URL" in result.stderr


def test_production_with_redis_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL=REDIS)

    assert result.returncode == 0, result.stderr


def test_the_redis_check_names_the_setting_and_what_it_is_for():
    with override_settings(REDIS_URL=""):
        (error,) = redis_url_set(None)
    with override_settings(REDIS_URL=REDIS):
        assert redis_url_set(None) == []

    assert error.id == "residency.E001"
    assert "REDIS_URL" in error.msg and "web request" in error.hint


def test_production_trusts_one_proxy_by_default(production):
    values = production(REDIS_URL=REDIS)

    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert values["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None


def test_the_proxy_settings_come_from_the_environment(production):
    values = production(
        REDIS_URL=REDIS,
        ALLAUTH_TRUSTED_PROXY_COUNT="2",
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP",
    )

    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2
    assert values["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] == "X-Real-IP"


def test_behind_the_proxy_each_client_has_its_own_login_rate_limit(client, production, db):
    """With production's proxy settings, one client's failed sign-ins do not lock out another
    client that reaches the app through the same proxy (before, all shared one bucket)."""
    trusted = production(REDIS_URL=REDIS)["ALLAUTH_TRUSTED_PROXY_COUNT"]
    url = reverse("account_login")

    def sign_in(client_ip: str, email: str) -> str:
        response = client.post(
            url,
            {"login": email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=client_ip,
        )
        return response.content.decode()

    with override_settings(
        ALLAUTH_TRUSTED_PROXY_COUNT=trusted,
        ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"},
    ):
        for _ in range(3):
            attacker = sign_in("203.0.113.9", "someone@example.org")
        colleague = sign_in("198.51.100.7", "colleague@example.org")

    assert "Too many failed login attempts" in attacker
    assert "Too many failed login attempts" not in colleague
