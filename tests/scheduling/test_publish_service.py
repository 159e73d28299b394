"""Publishing: one published version at a time, old ones kept, residents told what changed."""

from programs.models import Rotation
from scheduling.models import ScheduleVersion
from scheduling.selectors import version_diff
from scheduling.services.versions import assignment_set, version_copy, version_publish


def test_publishing_makes_the_version_the_one_residents_see(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    built.schedule.refresh_from_db()
    built.version.refresh_from_db()
    assert built.schedule.published_version == built.version
    assert built.version.status == ScheduleVersion.Status.PUBLISHED
    assert built.version.published_by == two_programs.director


def test_republishing_keeps_the_old_version_and_emails_only_residents_whose_weeks_changed(
    built, two_programs, mailoutbox, django_capture_on_commit_callbacks
):
    version_publish(version=built.version, by=two_programs.director)
    draft = version_copy(version=built.version, by=two_programs.director)
    resident = built.residents[0]
    current = draft.assignments.get(resident=resident, week=9).rotation.code
    vac = Rotation.objects.get(program=built.program, code="VAC" if current != "VAC" else "WARDS")
    assignment_set(version=draft, resident=resident, week=9, rotation=vac)
    with django_capture_on_commit_callbacks(execute=True):
        changes = version_publish(
            version=draft, by=two_programs.director, override_reason="Hand edit, checked"
        )
    assert list(changes) == [resident.external_id]
    built.version.refresh_from_db()
    assert built.version.status == ScheduleVersion.Status.SUPERSEDED
    assert [m.to for m in mailoutbox] == [[resident.email]]
    assert f"{current} -> {vac.code}" in mailoutbox[0].body


def test_the_diff_lists_changed_weeks_only(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    draft = version_copy(version=built.version, by=two_programs.director)
    assert version_diff(old=built.version, new=draft) == {}
    resident = built.residents[1]
    assignment_set(version=draft, resident=resident, week=4, rotation=None)
    diff = version_diff(old=built.version, new=draft)
    assert list(diff) == [resident.external_id]
    assert diff[resident.external_id][0][0] == 4 and diff[resident.external_id][0][2] is None
