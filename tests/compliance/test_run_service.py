"""compliance_run_create(): a schedule's year evaluated and stored, and the directors' digest."""

import datetime

import pytest
from django.core import mail

from compliance.facts import compliance_report
from compliance.models import ComplianceRun, Finding, figures_key
from compliance.services import compliance_run_create
from compliance.wording import rule_title
from programs.models import Role, StaffingRule
from tests.factories import RoleFactory, UserFactory
from tests.support.compliance_world import build_world

AS_OF = datetime.date(2027, 9, 6)


@pytest.fixture
def world(db):
    return build_world(residents=8, years=2)


def run_for(world, *, capture, trigger=ComplianceRun.Trigger.EDIT, schedule=None):
    with capture(execute=True):
        return compliance_run_create(
            schedule=schedule or world.schedules[-1], trigger=trigger, as_of=AS_OF
        )


def test_it_stores_the_counts_and_every_finding_of_the_schedules_year(
    world, django_capture_on_commit_callbacks
):
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    report = compliance_report(program=world.program, year="2027-2028", as_of=AS_OF)
    assert (run.critical_count, run.warning_count, run.info_count) == (
        report.counts["critical"],
        report.counts["warning"],
        report.counts["info"],
    )
    assert run.findings.count() == len(report.findings) > 0
    assert set(run.findings.values_list("academic_year", flat=True)) <= {"", "2027-2028"}
    assert run.version == world.versions[-1]
    assert run.trigger == "edit"
    assert run.duration_s > 0


def test_findings_point_at_the_residents_by_primary_key(world, django_capture_on_commit_callbacks):
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    by_id = {r.external_id: r.pk for r in world.residents}
    report = compliance_report(program=world.program, year="2027-2028", as_of=AS_OF)
    expected = sorted(by_id[f.resident_id] for f in report.findings if f.resident_id)
    stored = sorted(run.findings.filter(resident__isnull=False).values_list("resident", flat=True))
    assert stored == expected
    staffing = run.findings.filter(rule_id="staffing_min").first()
    assert staffing.resident is None and staffing.rotation_code == "ICU" and staffing.weeks


def test_it_counts_residents_with_a_critical_or_warning_finding_as_out_of_compliance(
    world, django_capture_on_commit_callbacks
):
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    flagged = set(
        Finding.objects.filter(
            run=run, resident__isnull=False, severity__in=["critical", "warning"]
        ).values_list("resident", flat=True)
    )
    assert run.residents_out_of_compliance == len(flagged) > 0


def test_it_stores_each_residents_figures_with_the_bands_and_limits(
    world, django_capture_on_commit_callbacks
):
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    resident = next(r for r in world.residents if r.pgy == 2)
    mine = run.figures["residents"][figures_key(resident.pk)]
    assert mine["resident_id"] == resident.external_id
    assert [y["academic_year"] for y in mine["years"]] == ["2026-2027", "2027-2028"]
    assert mine["cumulative"]["ambulatory_weeks"] > 0
    assert run.figures["tracks"]["CAT"] == [0.34, 0.5]
    assert run.figures["limits"]["continuity_clinic_min_sessions"] == 130
    assert run.figures["as_of"] == "2027-09-06"


def test_one_email_tells_the_managers_about_several_new_critical_findings(
    world, django_capture_on_commit_callbacks
):
    coordinator, chief = UserFactory(), UserFactory()
    RoleFactory(user=coordinator, program=world.program, kind=Role.Kind.COORDINATOR)
    RoleFactory(user=chief, program=world.program, kind=Role.Kind.CHIEF_RESIDENT)
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    assert run.critical_count >= 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([world.director.email, coordinator.email])
    assert f"{run.critical_count} new critical compliance findings" in message.subject
    assert (
        message.body.count(rule_title("staffing_min"))
        == run.findings.filter(rule_id="staffing_min").count()
    )
    assert "/alpha/" in message.body or "compliance" in message.body


def test_no_email_when_nothing_critical_is_new(world, django_capture_on_commit_callbacks):
    run_for(world, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    again = run_for(world, capture=django_capture_on_commit_callbacks)
    assert again.critical_count > 0
    assert mail.outbox == []


def test_only_the_new_critical_findings_are_in_the_next_digest(
    world, django_capture_on_commit_callbacks
):
    run_for(world, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # WARDS now needs far more residents than it has: a new critical staffing finding.
    StaffingRule.objects.filter(rotation=world.rotations["WARDS"]).update(min_residents=50)
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "WARDS" in body and "ICU has" not in body
    assert "1 new critical compliance finding " in mail.outbox[0].subject
    assert run.findings.filter(rule_id="staffing_min", rotation_code="ICU").exists()


def test_the_digest_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        compliance_run_create(schedule=world.schedules[-1], trigger="edit", as_of=AS_OF)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_schedule_with_nothing_built_stores_an_empty_run(
    world, django_capture_on_commit_callbacks
):
    world.versions[-1].status = "discarded"
    world.versions[-1].save(update_fields=["status"])
    run = run_for(world, capture=django_capture_on_commit_callbacks)
    assert run.version is None
    assert not run.findings.filter(rule_id__startswith="staffing").exists()
