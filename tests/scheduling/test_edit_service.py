"""Hand edits of a draft: checked against every hard rule, refused on published versions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import Resident, Rotation
from scheduling.models import Assignment, Schedule, VersionResident
from scheduling.selectors import version_violations
from scheduling.services.versions import (
    assignment_pin,
    assignment_set,
    version_copy,
    version_publish,
)
from scheduling.xy import is_y_week


def _x_week_of(built, resident):
    cohort = built.version.resident_rows.get(resident=resident).cohort
    return next(w for w in range(10) if not is_y_week(w, cohort, x_weeks=3, y_weeks=2, cohorts=5))


def test_putting_clinic_in_an_x_week_breaks_the_phase_rule(built):
    resident = built.residents[2]
    week = _x_week_of(built, resident)
    clinic = Rotation.objects.get(program=built.program, code="CLINIC")
    assignment_set(version=built.version, resident=resident, week=week, rotation=clinic)
    rules = {v.rule for v in version_violations(version=built.version)}
    assert "phase" in rules
    phase = [v for v in version_violations(version=built.version) if v.rule == "phase"]
    assert phase[0].resident_id == resident.external_id and phase[0].weeks == (week,)


def test_clearing_a_cell_is_reported_as_unscheduled(built):
    resident = built.residents[0]
    assignment_set(version=built.version, resident=resident, week=3, rotation=None)
    assert not built.version.assignments.filter(resident=resident, week=3).exists()
    assert "unscheduled" in {v.rule for v in version_violations(version=built.version)}


def test_an_edit_marks_compliance_dirty_once(built, django_capture_on_commit_callbacks):
    Schedule.objects.filter(pk=built.schedule.pk).update(compliance_dirty=False)
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    with django_capture_on_commit_callbacks() as callbacks:
        for week in range(3):
            assignment_set(
                version=built.version, resident=built.residents[3], week=week, rotation=wards
            )
    assert Schedule.objects.get(pk=built.schedule.pk).compliance_dirty
    assert len(callbacks) == 1


def test_published_versions_are_immutable(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    with pytest.raises(ValidationError):
        assignment_set(version=built.version, resident=built.residents[0], week=0, rotation=wards)
    with pytest.raises(ValidationError):
        assignment_pin(version=built.version, resident=built.residents[0], week=0, pinned=True)


def test_it_refuses_weeks_outside_the_year_and_rotations_of_other_programs(built, two_programs):
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    with pytest.raises(ValidationError):
        assignment_set(version=built.version, resident=built.residents[0], week=10, rotation=wards)
    foreign = Rotation.objects.create(
        program=two_programs.other_program, code="X", name="X", setting="inpatient"
    )
    with pytest.raises(ValidationError):
        assignment_set(version=built.version, resident=built.residents[0], week=1, rotation=foreign)


def test_a_copy_is_an_editable_draft_with_the_same_cells(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    copy = version_copy(version=built.version, by=two_programs.director)
    assert copy.is_editable and copy.number == 2
    assert copy.assignments.count() == built.version.assignments.count()
    assert copy.resident_rows.count() == 5


def test_the_database_itself_refuses_writes_into_a_published_version(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    cells = Assignment.objects.filter(version=built.version)
    with pytest.raises(IntegrityError), transaction.atomic():
        cells.update(rotation=wards)
    with pytest.raises(IntegrityError), transaction.atomic():
        cells.filter(week=0).first().delete()  # drop one cell, then try to write it back
        Assignment.objects.create(
            version=built.version, resident=built.residents[0], week=0, rotation=wards
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionResident.objects.filter(version=built.version).update(pgy=3)
    assert set(cells.values_list("rotation__code", flat=True)) != {"WARDS"}


def test_a_draft_still_takes_writes_at_the_database(built):
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    Assignment.objects.filter(version=built.version, week=0).update(rotation=wards)
    assert set(
        Assignment.objects.filter(version=built.version, week=0).values_list(
            "rotation__code", flat=True
        )
    ) == {"WARDS"}


def test_an_edit_made_against_a_stale_cell_is_refused_and_changes_nothing(built):
    resident = built.residents[1]
    cell = Assignment.objects.get(version=built.version, resident=resident, week=4)
    seen = cell.rotation.code
    icu = Rotation.objects.get(program=built.program, code="ICU")
    vac = Rotation.objects.get(program=built.program, code="VAC")
    # Two directors opened the same cell; the first saves ICU...
    assignment_set(version=built.version, resident=resident, week=4, rotation=icu, expected=seen)
    # ...the second, who still sees the old rotation, is told instead of overwriting it.
    with pytest.raises(ValidationError, match="changed"):
        assignment_set(
            version=built.version, resident=resident, week=4, rotation=vac, expected=seen
        )
    assert Assignment.objects.get(version=built.version, resident=resident, week=4).rotation == icu


def test_checks_of_a_version_use_the_roster_stored_with_it(built):
    before = sorted(
        (v.rule, v.resident_id, v.weeks) for v in version_violations(version=built.version)
    )
    # A roll-over later moves everyone on a PGY level, and one resident graduates.
    Resident.objects.filter(program=built.program).update(pgy=3)
    Resident.objects.filter(pk=built.residents[0].pk).update(status="graduated")
    after = sorted(
        (v.rule, v.resident_id, v.weeks) for v in version_violations(version=built.version)
    )
    assert after == before
