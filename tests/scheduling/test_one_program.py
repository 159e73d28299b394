"""A schedule's rows are of the schedule's program: its academic year, and in each version
the residents, their tracks and the rotations they are on (issue 9). `clean()` holds the
rule for every form and service that `full_clean`s."""

import pytest

from scheduling.models import Assignment, Schedule, ScheduleVersion, VersionResident
from tests.factories import AcademicYearFactory, RotationFactory
from tests.support.validation import clean_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(two_programs):
    year = AcademicYearFactory(program=two_programs.program)
    schedule = Schedule.objects.create(program=two_programs.program, academic_year=year)
    return ScheduleVersion.objects.create(schedule=schedule, number=1)


def test_a_schedule_is_of_its_academic_years_program(two_programs):
    beta_year = AcademicYearFactory(program=two_programs.other_program)
    schedule = Schedule(program=two_programs.program, academic_year=beta_year)
    assert "academic_year" in clean_errors(schedule)


def test_a_versions_roster_is_of_the_schedules_program(two_programs, version):
    row = VersionResident(
        version=version,
        resident=two_programs.other_resident,
        pgy=1,
        track=two_programs.resident.track,
        cohort=0,
    )
    assert "resident" in clean_errors(row)
    row = VersionResident(
        version=version,
        resident=two_programs.resident,
        pgy=1,
        track=two_programs.other_resident.track,
        cohort=0,
    )
    assert "track" in clean_errors(row)
    row.track = two_programs.resident.track
    row.full_clean()


def test_an_assignment_is_of_the_schedules_program(two_programs, version):
    ours = RotationFactory(program=two_programs.program)
    theirs = RotationFactory(program=two_programs.other_program)
    cell = Assignment(version=version, resident=two_programs.resident, week=0, rotation=theirs)
    assert "rotation" in clean_errors(cell)
    cell = Assignment(version=version, resident=two_programs.other_resident, week=0, rotation=ours)
    assert "resident" in clean_errors(cell)
    cell.resident = two_programs.resident
    cell.full_clean()
