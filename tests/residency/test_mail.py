"""E-mail goes through a Celery task with retries, queued once the transaction commits, so
no request waits on a mail server and a mail server that is down loses nothing."""

import smtplib

from django.core import mail as django_mail
from kombu.exceptions import OperationalError

from accounts.services import invitation_create
from programs.models import Role
from residency import mail
from tests.support.mail import record_queued_emails


def test_an_email_waits_for_the_commit_then_goes_to_the_worker(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        mail.email_queue(subject="Hello", body="Body", to=["a@example.org"])
    assert mailoutbox == []  # nothing is sent while the transaction is open
    for callback in callbacks:
        callback()
    [message] = mailoutbox
    assert (message.subject, message.body, message.to) == ("Hello", "Body", ["a@example.org"])


def test_a_mail_server_that_drops_the_connection_is_tried_again(mailoutbox, monkeypatch):
    attempts = []

    def flaky(*args, **kwargs):
        attempts.append(1)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return django_mail.send_mail(*args, **kwargs)

    monkeypatch.setattr(mail, "send_mail", flaky)
    # In-process, a retry runs at once instead of later (and only when errors do not propagate).
    conf = mail.send_email.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        mail.send_email.delay(subject="Hello", body="Body", to=["a@example.org"]).get()
    finally:
        conf.task_eager_propagates = propagates
    assert len(attempts) == 3
    assert len(mailoutbox) == 1


def test_the_mail_task_retries_with_backoff_and_gives_up_in_the_end():
    task = mail.send_email
    assert issubclass(smtplib.SMTPException, task.autoretry_for)
    assert issubclass(ConnectionRefusedError, task.autoretry_for)
    assert task.retry_backoff and task.retry_jitter
    assert 5 <= task.max_retries <= 10
    # Each wait stays far below the broker's visibility timeout (ENGINEERING-NOTES).
    assert task.retry_backoff_max <= 600
    assert 0 < task.soft_time_limit < task.time_limit


def test_a_broker_that_is_down_sends_the_email_at_once_rather_than_lose_it(
    db, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(**message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(mail.send_email, "delay", refused)
    with django_capture_on_commit_callbacks(execute=True):
        mail.email_queue(subject="Hello", body="Body", to=["a@example.org"])
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


def test_an_invitation_is_queued_for_the_mail_task(
    two_programs, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            program=two_programs.program,
            email="new.chief@example.org",
            role=Role.Kind.CHIEF_RESIDENT,
            by=two_programs.director,
        )
    assert mailoutbox == []
    [message] = queued
    assert message["to"] == ["new.chief@example.org"]
    assert "/invitations/" in message["body"]


def test_the_worker_imports_the_mail_task(settings):
    assert "residency.mail" in settings.CELERY_IMPORTS
