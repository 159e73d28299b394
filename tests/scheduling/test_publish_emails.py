"""Publishing tells residents what changed through the mail task, never inside the request."""

import logging

from programs.models import Rotation
from scheduling.services.versions import assignment_set, version_copy, version_publish
from tests.support.mail import record_queued_emails


def test_publish_queues_one_email_per_changed_resident_and_sends_none_itself(
    built, two_programs, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    version_publish(version=built.version, by=two_programs.director)
    draft = version_copy(version=built.version, by=two_programs.director)
    first, second = built.residents[0], built.residents[1]
    vac = Rotation.objects.get(program=built.program, code="VAC")
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    for resident in (first, second):
        current = draft.assignments.get(resident=resident, week=9).rotation
        assignment_set(
            version=draft, resident=resident, week=9, rotation=wards if current == vac else vac
        )
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(
            version=draft, by=two_programs.director, override_reason="Hand edit, checked"
        )
    assert mailoutbox == []
    assert sorted(m["to"][0] for m in queued) == sorted([first.email, second.email])
    assert all(m["subject"] == "Your schedule changed (2027-2028)" for m in queued)


def test_publish_logs_one_summary_line_for_its_e_mails(
    built, two_programs, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """However many residents are told, the log says it once (issue #13: quiet logs)."""
    version_publish(version=built.version, by=two_programs.director)
    draft = version_copy(version=built.version, by=two_programs.director)
    vac = Rotation.objects.get(program=built.program, code="VAC")
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    for resident in built.residents[:3]:
        current = draft.assignments.get(resident=resident, week=9).rotation
        assignment_set(
            version=draft, resident=resident, week=9, rotation=wards if current == vac else vac
        )
    record_queued_emails(monkeypatch)
    with (
        caplog.at_level(logging.INFO, logger="scheduling.services.versions"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        version_publish(
            version=draft, by=two_programs.director, override_reason="Covered by locums"
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "scheduling.services.versions"]
    assert lines == ["Published 2027-2028 of alpha: 3 resident(s) told their weeks changed"]
