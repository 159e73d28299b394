"""Quiet logs: an expected 403 is one line, task successes are DEBUG, an e-mail is one line,
and the embedded broker does not warn "No hostname was supplied" (residency/logging.py)."""

import logging

import pytest
from celery.app.trace import LOG_FAILURE, LOG_RECEIVED, LOG_SUCCESS
from django.conf import settings
from django.core.mail import send_mail
from django.test import override_settings
from django.urls import reverse
from kombu import Connection


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record):
        self.records.append(record)
        self.lines.append(logging.Formatter().format(record))


@pytest.fixture
def collected():
    """What the named loggers hand to their handlers (the filters have run by then)."""
    handler = Collect()
    names = ("django", "celery.app.trace", "residency.mail")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in names:
        logging.getLogger(name).removeHandler(handler)


@pytest.mark.django_db
def test_an_expected_403_is_one_line_without_a_traceback(client, two_programs, collected):
    client.force_login(two_programs.resident_user)
    assert client.get(reverse("programs:people", args=["alpha"])).status_code == 403
    [record] = [r for r in collected.records if r.name == "django.request"]
    assert record.status_code == 403 and record.exc_info is None
    [line] = [line for line in collected.lines if "Forbidden" in line]
    assert "\n" not in line and "Traceback" not in line


def test_a_server_error_keeps_its_traceback(collected):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x", exc_info=True, extra={"status_code": 500}
        )
    assert "Traceback" in collected.lines[-1]


def _success():
    logging.getLogger("celery.app.trace").info(
        LOG_SUCCESS,
        {"id": "1", "name": "residency.mail.send_email", "return_value": 1, "runtime": 0.01},
    )


def test_a_task_success_is_not_logged_at_info(collected):
    _success()
    assert collected.records == []


def test_a_task_received_is_not_logged_at_info(collected):
    logger = logging.getLogger("celery.worker.strategy")
    logger.addHandler(collected)
    try:
        logger.info(LOG_RECEIVED, {"id": "1", "name": "residency.mail.send_email"})
    finally:
        logger.removeHandler(collected)
    assert collected.records == []


def test_a_task_success_shows_at_debug_when_asked(collected):
    logger = logging.getLogger("celery.app.trace")
    before = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        _success()
    finally:
        logger.setLevel(before)
    [record] = collected.records
    assert record.levelname == "DEBUG" and "succeeded" in collected.lines[0]


def test_a_task_failure_keeps_its_level(collected):
    logging.getLogger("celery.app.trace").error(
        LOG_FAILURE,
        {"id": "1", "name": "x", "exc": "RuntimeError('boom')", "description": "raised"},
    )
    assert [r.levelname for r in collected.records] == ["ERROR"]


@override_settings(EMAIL_BACKEND="residency.mail_backends.SummaryConsoleBackend")
def test_an_e_mail_in_development_is_one_line_without_its_body(collected):
    body = "Hello Lee,\n\nYour weeks changed:\n- week of 7 Sep: ICU -> WARDS\n" * 3
    send_mail("Your schedule changed (2026-2027)", body, None, ["lee@example.org", "b@example.org"])
    assert collected.lines == [
        f"E-mail to lee@example.org (+1 more): Your schedule changed (2026-2027), "
        f"{len(body)} characters"
    ]


def test_the_embedded_broker_names_a_host(caplog):
    if settings.REDIS_URL:
        pytest.skip("the broker is Redis here")
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        Connection(settings.CELERY_BROKER_URL).info()
    assert "No hostname was supplied" not in caplog.text
