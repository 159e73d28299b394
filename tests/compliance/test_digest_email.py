"""The compliance digest goes to the mail task once the run is stored."""

import datetime

from compliance.models import ComplianceRun
from compliance.services import compliance_run_create
from tests.support.compliance_world import build_world
from tests.support.mail import record_queued_emails


def test_the_digest_is_queued_for_the_mail_task_after_commit(
    db, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    world = build_world(residents=8, years=2)
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks() as callbacks:
        run = compliance_run_create(
            schedule=world.schedules[-1],
            trigger=ComplianceRun.Trigger.EDIT,
            as_of=datetime.date(2027, 9, 6),
        )
        assert queued == []
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    [message] = queued
    assert message["to"] == [world.director.email]
    assert f"{run.critical_count} new critical compliance findings" in message["subject"]
