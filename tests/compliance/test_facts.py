"""compliance_facts(): the engine's input read from the database, in a fixed number of queries."""

import datetime

import pytest
from django.db.models import F

from compliance.engine import LIMITS
from compliance.facts import (
    compliance_facts,
    compliance_report,
    one_year_track_codes,
    schedule_counting_version,
)
from compliance.models import ProgramLimits
from programs.models import Requirement, Resident, Rotation
from scheduling.models import Assignment, ScheduleVersion, VersionResident
from tests.support.compliance_world import add_year, build_world, reopened

AS_OF = datetime.date(2027, 9, 6)  # inside 2027-2028


def facts_of(world, as_of=AS_OF):
    program, residents = compliance_facts(program=world.program, as_of=as_of)
    return program, {r.id: r for r in residents}


def new_draft(world, year_index=0):
    schedule = world.schedules[year_index]
    published = world.versions[year_index]
    draft = ScheduleVersion.objects.create(schedule=schedule, number=published.number + 1)
    VersionResident.objects.bulk_create(
        VersionResident(
            version=draft,
            resident_id=r.resident_id,
            pgy=r.pgy,
            track_id=r.track_id,
            cohort=r.cohort,
        )
        for r in published.resident_rows.all()
    )
    return draft


def test_it_reads_every_academic_year_of_the_program(db):
    world = build_world(residents=4, years=3)
    program, _ = facts_of(world)
    assert [y.name for y in program.years] == ["2025-2026", "2026-2027", "2027-2028"]
    assert [y.start for y in program.years] == [y.start for y in world.years]
    assert {y.status for y in program.years} == {"published"}


def test_the_published_version_counts_even_when_a_newer_draft_exists(db):
    world = build_world(residents=4)
    draft = new_draft(world)  # its rows, but no weeks at all
    program, residents = facts_of(world)
    assert program.years[0].status == "published"
    assert all(len([w for w in r.years[0].weeks if w]) > 40 for r in residents.values())
    assert schedule_counting_version(schedule=world.schedules[0]) == world.versions[0]
    assert draft.status == "draft"


def test_the_newest_draft_counts_when_nothing_is_published(db):
    world = build_world(residents=4, status=ScheduleVersion.Status.DRAFT)
    newer = new_draft(world)
    program, residents = facts_of(world)
    assert program.years[0].status == "draft"
    assert all(set(r.years[0].weeks) == {None} for r in residents.values())
    assert schedule_counting_version(schedule=world.schedules[0]) == newer


def test_a_year_without_a_published_or_draft_version_has_status_none(db):
    world = build_world(residents=4)
    world.versions[0].status = ScheduleVersion.Status.DISCARDED
    world.versions[0].save(update_fields=["status"])
    program, _ = facts_of(world)
    assert program.years[0].status == "none"


def test_each_year_carries_the_pgy_track_and_cohort_of_that_year(db):
    world = build_world(residents=6, years=2)
    resident = next(r for r in world.residents if r.pgy == 2)
    row = VersionResident.objects.get(version=world.versions[0], resident=resident)
    row.track = world.tracks["PC"]
    row.cohort = 4
    with reopened(world.versions[0]):
        row.save()
    _, residents = facts_of(world)
    first, second = residents[resident.external_id].years
    assert (first.academic_year, first.pgy, first.track, first.cohort) == ("2026-2027", 1, "PC", 4)
    assert (second.academic_year, second.pgy, second.track) == ("2027-2028", 2, "CAT")
    assert residents[resident.external_id].pgy == 2


def test_a_week_without_an_assignment_is_leave(db):
    world = build_world(residents=3)
    resident = world.residents[0]
    Assignment.objects.filter(version=world.versions[0], resident=resident, week=7).delete()
    _, residents = facts_of(world)
    weeks = residents[resident.external_id].years[0].weeks
    assert len(weeks) == 52
    assert weeks[7] is None and weeks[6] is not None


def test_ambulatory_rotations_of_the_y_phase_are_continuity_clinic(db):
    world = build_world(residents=2)
    program, _ = facts_of(world)
    assert program.rotations["CLINIC"].is_clinic
    assert not program.rotations["GERI"].is_clinic  # ambulatory, but an X-phase rotation
    assert not program.rotations["WARDS"].is_clinic
    assert program.rotations["GERI"].experiences == frozenset({"geriatrics"})
    assert program.rotations["ICU"].staffing[0].min == 1


def test_rotation_experiences_are_normalised_to_the_settings_tags(db):
    world = build_world(residents=2)
    Rotation.objects.filter(pk=world.rotations["GERI"].pk).update(
        experiences=["Palliative care", "geriatrics"]
    )
    program, _ = facts_of(world)
    assert program.rotations["GERI"].experiences == {"palliative_care", "geriatrics"}


def test_the_programs_overrides_replace_the_defaults(db):
    world = build_world(residents=2)
    ProgramLimits.objects.create(
        program=world.program, overrides={"vacation_weeks_per_year": 3, "residency_years": 4}
    )
    program, _ = facts_of(world)
    assert program.settings.vacation_weeks_per_year == 3
    assert program.settings.residency_years == 4
    assert (
        program.settings.continuity_clinic_min_sessions
        == LIMITS["continuity_clinic_min_sessions"].default
    )


def test_tracks_requirements_and_template_come_across(db):
    world = build_world(residents=2)
    program, _ = facts_of(world)
    assert (program.x_weeks, program.y_weeks, program.cohorts) == (3, 2, 5)
    assert program.tracks["PC"] == (0.5, 0.6)
    icu, prelim = program.requirements
    assert icu.tracks is None and icu.rotations == {"ICU"} and icu.min_weeks == 3
    assert prelim.tracks == {"PRE"} and prelim.pgy == {1}


def test_categorical_residents_graduate_after_pgy3(db):
    world = build_world(residents=3)
    _, residents = facts_of(world)
    by_pgy = {r.pgy: r.graduation_year for r in residents.values()}
    assert by_pgy == {1: "2029-2030", 2: "2028-2029", 3: "2027-2028"}


def test_preliminary_interns_graduate_after_pgy1(db):
    world = build_world(residents=3)
    intern = next(r for r in world.residents if r.pgy == 1)
    Resident.objects.filter(pk=intern.pk).update(track=world.tracks["PRE"])
    _, residents = facts_of(world)
    assert residents[intern.external_id].graduation_year == "2027-2028"


def test_the_one_year_heuristic_reads_names_and_pgy1_only_requirements():
    codes = one_year_track_codes(
        tracks=[
            ("CAT", "Categorical"),
            ("PRE", "Preliminary"),
            ("TRI", "Transitional year"),
            ("ONE", "Short track"),
            ("PC", "Primary care"),
        ],
        requirement_levels={"ONE": {1}, "PC": {1, 2, 3}},
        levels_seen={"CAT": {1, 2, 3}, "ONE": {1}, "PC": {1}},
    )
    assert codes == {"PRE", "TRI", "ONE"}
    assert (
        one_year_track_codes(
            tracks=[("PRE", "Preliminary")], requirement_levels={}, levels_seen={"PRE": {1, 2}}
        )
        == frozenset()
    )


def test_a_rolled_over_roster_speaks_of_the_next_year(db):
    world = build_world(residents=6)
    promoted = Resident.objects.filter(program=world.program, pgy__lt=3)
    promoted.update(pgy=F("pgy") + 1)
    _, residents = facts_of(world)
    # The 2027-2028 rows still say PGY-1 and PGY-2: the roster now speaks of 2028-2029,
    # so today's PGY-2 (last year's intern) graduates in 2029-2030, not 2028-2029.
    assert {r.pgy: r.graduation_year for r in residents.values()} == {
        2: "2029-2030",
        3: "2028-2029",
    }


def test_years_still_to_come_without_a_schedule_get_the_implied_pgy_and_no_weeks(db):
    from programs.models import AcademicYear

    world = build_world(residents=3)
    AcademicYear.objects.create(
        program=world.program, name="2028-2029", start=datetime.date(2028, 6, 26)
    )
    _, residents = facts_of(world)
    intern = next(r for r in residents.values() if r.pgy == 1)
    senior = next(r for r in residents.values() if r.pgy == 3)
    assert [(y.academic_year, y.pgy, y.weeks) for y in intern.years][1] == ("2028-2029", 2, ())
    assert [y.academic_year for y in senior.years] == ["2027-2028"]  # graduates before it


def test_graduated_residents_count_only_in_the_years_they_are_scheduled(db):
    world = build_world(residents=3, years=2)
    add_year(world, 2028, status="draft")
    senior = next(r for r in world.residents if r.pgy == 3)
    Resident.objects.filter(pk=senior.pk).update(status=Resident.Status.GRADUATED)
    gone = Resident.objects.create(
        program=world.program,
        external_id="GONE",
        name="Gone",
        email="g@example.org",
        pgy=3,
        track=world.tracks["CAT"],
        status=Resident.Status.WITHDRAWN,
    )
    _, residents = facts_of(world)
    assert [y.academic_year for y in residents[senior.external_id].years] == [
        "2026-2027",
        "2027-2028",
    ]
    assert residents[senior.external_id].graduation_year == "2027-2028"
    assert gone.external_id not in residents


def test_a_years_report_covers_the_residents_in_that_year(db):
    world = build_world(residents=6, years=2)
    report = compliance_report(program=world.program, year="2026-2027", as_of=AS_OF)
    # The PGY-1s of 2027-2028 were not residents yet in 2026-2027.
    assert len(report.residents) == 4
    assert {f.academic_year for f in report.findings if f.academic_year} <= {"2026-2027"}
    with pytest.raises(ValueError, match="1999-2000"):
        compliance_report(program=world.program, year="1999-2000", as_of=AS_OF)


def test_requirements_without_tracks_apply_to_every_track(db):
    world = build_world(residents=2)
    Requirement.objects.filter(program=world.program, all_tracks=True).update(all_tracks=False)
    program, _ = facts_of(world)
    assert program.requirements[0].tracks == frozenset()


@pytest.mark.parametrize(("residents", "years"), [(5, 1), (60, 3)])
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(
    db, django_assert_num_queries, residents, years
):
    world = build_world(residents=residents, years=years)
    with django_assert_num_queries(12):  # eleven reads, and the program's ProgramLimits
        program, people = compliance_facts(program=world.program, as_of=AS_OF)
    assert len(people) == residents
    assert len(program.years) == years
