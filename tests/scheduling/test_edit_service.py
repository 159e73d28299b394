"""Hand edits of a draft: checked against every hard rule, refused on published versions."""

import pytest
from django.core.exceptions import ValidationError

from programs.models import Rotation
from scheduling.models import Schedule
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
