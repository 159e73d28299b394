"""Set-up in the browser (issue 12): each form saves good input with a history event, and
re-renders bad input with field errors, saving nothing; list pages keep a constant number of
queries; a rotation in use is not deleted, and the page says where it is used."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from history.models import Event
from programs.models import AcademicYear, Program, Requirement, Resident, Rotation, Track
from tests.factories import (
    AcademicYearFactory,
    ResidentFactory,
    RotationFactory,
    StaffingRuleFactory,
    TrackFactory,
    UserFactory,
)
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(client, two_programs):
    client.force_login(two_programs.director)
    return two_programs


def _url(name, *args):
    return reverse(f"programs:{name}", args=["alpha", *args])


def _events(kind=None):
    events = Event.objects.filter(program__slug="alpha")
    return events.filter(kind=kind) if kind else events


# Tracks -----------------------------------------------------------------------------------


def test_a_track_is_created_with_its_band_in_percent(client, director):
    response = client.post(
        _url("setup_track_new"),
        {"code": "PC", "name": "Primary Care", "ambulatory_min": "50", "ambulatory_max": "60"},
    )
    assert response.status_code == 302
    track = Track.objects.get(program__slug="alpha", code="PC")
    assert (track.ambulatory_min, track.ambulatory_max) == (Decimal("0.5"), Decimal("0.6"))
    event = _events(Event.Kind.SETUP_CREATED).get()
    assert event.actor == director.director
    assert event.after == {"code": "PC", "name": "Primary Care", "ambulatory_share": [0.5, 0.6]}


def test_the_edit_page_shows_the_band_in_percent(client, director):
    response = client.get(_url("setup_track_edit", "CAT"))
    assert response.status_code == 200
    assert b'value="34"' in response.content and b'value="50"' in response.content


@pytest.mark.parametrize(
    "band, field, message",
    [
        (("120", "130"), "ambulatory_min", "Enter a percentage from 0 to 100."),
        (("-5", "40"), "ambulatory_min", "Enter a percentage from 0 to 100."),
        (("60", "50"), "ambulatory_max", "The band's lower end is above its upper end."),
    ],
)
def test_a_band_outside_0_to_100_or_upside_down_is_refused(client, director, band, field, message):
    data = {"code": "PC", "name": "Primary Care", "ambulatory_min": band[0]}
    data["ambulatory_max"] = band[1]
    response = client.post(_url("setup_track_new"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Track.objects.filter(code="PC").exists()
    assert not _events().exists()


def test_a_duplicate_track_code_is_refused_by_the_bundle_rule(client, director):
    data = {"code": "cat", "name": "Again", "ambulatory_min": "30", "ambulatory_max": "40"}
    response = client.post(_url("setup_track_new"), data)
    assert response.status_code == 200
    assert "duplicate track code" in " ".join(response.context["form"].errors["code"])
    assert Track.objects.filter(program__slug="alpha").count() == 1


def test_a_track_with_residents_is_not_deleted(client, director):
    response = client.post(_url("setup_track_delete", "CAT"), follow=True)
    assert "Not deleted: CAT has 1 resident." in response.content.decode()
    assert Track.objects.filter(program__slug="alpha", code="CAT").exists()


# Rotations --------------------------------------------------------------------------------


def _rotation_data(**overrides):
    data = {
        "code": "ICU",
        "name": "Medical ICU",
        "setting": "critical_care",
        "phase": "x",
        "color": "#b02a37",
        "max_consecutive_weeks": "4",
        "min_run_weeks": "2",
        "intense": "on",
        "experiences": "critical care, procedures",
        "staffing-TOTAL_FORMS": "2",
        "staffing-INITIAL_FORMS": "0",
        "staffing-MIN_NUM_FORMS": "0",
        "staffing-MAX_NUM_FORMS": "1000",
        "staffing-0-pgy": ["1"],
        "staffing-0-min": "2",
        "staffing-0-max": "3",
        "staffing-1-pgy": ["2", "3"],
        "staffing-1-min": "1",
        "staffing-1-max": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_rotation_is_created_with_its_staffing(client, director):
    response = client.post(_url("setup_rotation_new"), _rotation_data())
    assert response.status_code == 302, response.context["form"].errors
    rotation = Rotation.objects.get(program__slug="alpha", code="ICU")
    rules = [(r.pgy_levels, r.min_residents, r.max_residents) for r in rotation.staffing.all()]
    assert rules == [([1], 2, 3), ([2, 3], 1, None)]
    assert rotation.experiences == ["critical care", "procedures"]
    assert rotation.color == "#b02a37" and rotation.intense
    event = _events(Event.Kind.SETUP_CREATED).get()
    assert event.after["staffing"] == [{"pgy": [1], "min": 2, "max": 3}, {"pgy": [2, 3], "min": 1}]


@pytest.mark.parametrize(
    "overrides, where, text",
    [
        ({"staffing-0-min": "4"}, "staffing", "min 4 is greater than max 3"),
        ({"min_run_weeks": "5"}, "min_run_weeks", "greater than max_consecutive_weeks 4"),
        ({"color": "blue"}, "color", "Use a colour as #rrggbb"),
        ({"color": "#ffff00"}, "color", "hard to read"),
        ({"code": "has space"}, "code", "letters, digits"),
        ({"staffing-0-pgy": ["4"]}, "staffing", "Select a valid choice"),
    ],
)
def test_bad_rotation_input_is_shown_on_its_field_and_nothing_is_saved(
    client, director, overrides, where, text
):
    response = client.post(_url("setup_rotation_new"), _rotation_data(**overrides))
    assert response.status_code == 200
    if where == "staffing":
        errors = str([form.errors for form in response.context["staffing"].forms])
    else:
        errors = " ".join(response.context["form"].errors[where])
    assert text in errors
    assert not Rotation.objects.filter(code="ICU").exists()
    assert not _events().exists()


def test_a_duplicate_rotation_code_is_refused(client, director):
    RotationFactory(program=director.program, code="ICU")
    response = client.post(_url("setup_rotation_new"), _rotation_data(code="icu"))
    assert response.status_code == 200
    assert "duplicate rotation code" in " ".join(response.context["form"].errors["code"])
    assert Rotation.objects.filter(program__slug="alpha").count() == 1


def test_a_rotation_in_use_is_not_deleted_and_the_page_says_where(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    response = client.post(_url("setup_rotation_delete", "WARDS"), follow=True)
    text = response.content.decode()
    assert f"Not deleted: WARDS is scheduled in v{built.version.number} of 2027-2028." in text
    assert Rotation.objects.filter(program=built.program, code="WARDS").exists()
    assert not _events(Event.Kind.SETUP_DELETED).exists()


def test_a_staffing_change_that_breaks_the_draft_asks_first(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    data = _rotation_data(
        code="WARDS",
        name="Wards",
        setting="inpatient",
        phase="x",
        color=wards.color,
        max_consecutive_weeks="",
        min_run_weeks="",
        intense=None,
        experiences="",
        **{
            "staffing-TOTAL_FORMS": "1",
            "staffing-0-pgy": ["1", "2"],
            "staffing-0-min": "5",
            "staffing-0-max": "5",
        },
    )
    data.pop("staffing-1-pgy"), data.pop("staffing-1-min"), data.pop("staffing-1-max")
    response = client.post(_url("setup_rotation_edit", "WARDS"), data)
    assert response.status_code == 200
    impact = response.context["impact"]
    assert impact and impact[0].year == "2027-2028"
    assert any("WARDS has" in m and "it needs at least 5" in m for m in impact[0].messages)
    assert wards.staffing.get().min_residents == 1  # not saved yet
    confirmed = client.post(_url("setup_rotation_edit", "WARDS"), data | {"confirm": "1"})
    assert confirmed.status_code == 302
    assert wards.staffing.get().min_residents == 5
    assert _events(Event.Kind.SETUP_CHANGED).get().before["staffing"][0]["min"] == 1


# Requirements -----------------------------------------------------------------------------


def _requirement_data(program, **overrides):
    wards = RotationFactory(program=program, code="WARDS")
    data = {
        "tracks": [program.tracks.get(code="CAT").pk],
        "pgy": ["1"],
        "rotations": [wards.pk],
        "min_weeks": "8",
        "max_weeks": "12",
    }
    data.update(overrides)
    return data


def test_a_requirement_is_created(client, director):
    response = client.post(_url("setup_requirement_new"), _requirement_data(director.program))
    assert response.status_code == 302
    requirement = Requirement.objects.get(program=director.program)
    assert (requirement.min_weeks, requirement.max_weeks, requirement.pgy_levels) == (8, 12, [1])
    assert _events(Event.Kind.SETUP_CREATED).get().after["rotations"] == ["WARDS"]


def test_a_requirement_with_min_above_max_is_refused(client, director):
    data = _requirement_data(director.program, min_weeks="12", max_weeks="8")
    response = client.post(_url("setup_requirement_new"), data)
    assert response.status_code == 200
    assert "min_weeks 12 is greater than max_weeks 8" in " ".join(
        response.context["form"].errors["min_weeks"]
    )
    assert not Requirement.objects.exists()


def test_a_requirement_needs_a_bound(client, director):
    data = _requirement_data(director.program, min_weeks="", max_weeks="")
    response = client.post(_url("setup_requirement_new"), data)
    assert "needs min_weeks, max_weeks or both" in str(response.context["form"].non_field_errors())
    assert not Requirement.objects.exists()


# Academic years ---------------------------------------------------------------------------


def test_a_year_must_start_on_a_monday(client, director):
    data = {"name": "2027-2028", "start": "2027-06-29", "weeks": "52"}
    response = client.post(_url("setup_year_new"), data)
    assert response.status_code == 200
    assert "expected a Monday, got 2027-06-29 (a Tuesday)" in " ".join(
        response.context["form"].errors["start"]
    )
    assert not AcademicYear.objects.filter(program=director.program).exists()


def test_overlapping_years_are_refused_and_a_good_one_is_saved(client, director):
    AcademicYearFactory(program=director.program, name="2027-2028")
    overlapping = {"name": "2028-2029", "start": "2028-06-19", "weeks": "52"}
    response = client.post(_url("setup_year_new"), overlapping)
    assert "overlaps academic year '2027-2028'" in " ".join(
        response.context["form"].errors["start"]
    )
    good = {"name": "2028-2029", "start": "2028-06-26", "weeks": "52"}
    assert client.post(_url("setup_year_new"), good).status_code == 302
    assert AcademicYear.objects.filter(program=director.program).count() == 2


# Residents and faculty --------------------------------------------------------------------


def test_a_resident_is_added_with_interests_and_deactivated(client, director):
    track = director.program.tracks.get(code="CAT")
    data = {
        "external_id": "R9001",
        "name": "Ada New",
        "email": "ada.new@example.org",
        "pgy": "1",
        "track": track.pk,
        "cohort": "2",
        "status": "active",
        "started_on": "2027-06-28",
        "expected_graduation": "2030-06-27",
        "interests": "primary care, medical education",
    }
    assert client.post(_url("setup_resident_new"), data).status_code == 302
    resident = Resident.objects.get(external_id="R9001")
    assert resident.interests == ["primary care", "medical education"]
    assert resident.started_on == datetime.date(2027, 6, 28)
    response = client.post(_url("setup_resident_deactivate", resident.pk), {"status": "graduated"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.status == "graduated"
    changed = _events(Event.Kind.SETUP_CHANGED).get()
    assert (changed.before, changed.after) == ({"status": "active"}, {"status": "graduated"})


def test_a_resident_in_a_cohort_the_template_lacks_is_refused(client, director):
    track = director.program.tracks.get(code="CAT")
    data = {"external_id": "R9002", "name": "Bo", "email": "bo@example.org", "pgy": "1"}
    data |= {"track": track.pk, "cohort": "7", "status": "active"}
    response = client.post(_url("setup_resident_new"), data)
    assert "expected a cohort from 0 to 4" in " ".join(response.context["form"].errors["cohort"])
    assert not Resident.objects.filter(external_id="R9002").exists()


def test_a_faculty_member_is_added(client, director):
    data = {"external_id": "F900", "name": "Dr. Who", "email": "who@example.org"}
    data |= {"mentor_capacity": "3", "mentor_status": "active", "interests": "QI, research"}
    assert client.post(_url("setup_faculty_new"), data).status_code == 302
    assert _events(Event.Kind.SETUP_CREATED).get().after["interests"] == ["QI", "research"]


# Whole programs ---------------------------------------------------------------------------


def _program_data(**overrides):
    data = {
        "name": "City IM",
        "slug": "city-im",
        "institution": "City Hospital",
        "timezone": "America/Chicago",
        "x_weeks": "3",
        "y_weeks": "2",
        "cohorts": "5",
        "year_name": "2027-2028",
        "year_start": "2027-06-28",
        "year_weeks": "52",
        "director_email": "pd@city.example.org",
    }
    data.update(overrides)
    return data


def test_a_site_operator_creates_a_program_and_invites_its_director(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("program_new"))
    assert [cohort for cohort, _ in page.context["preview"]] == [0, 1, 2, 3, 4]
    assert "".join(page.context["preview"][1][1]) == "xxyyxxxyyxxxyyx"
    response = client.post(reverse("program_new"), _program_data())
    assert response.status_code == 302
    program = Program.objects.get(slug="city-im")
    assert program.invitations.get().email == "pd@city.example.org"
    assert program.academic_years.get().start == datetime.date(2027, 6, 28)
    assert Event.objects.get(program=program).kind == Event.Kind.SETUP_CREATED


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"cohorts": "4"}, "cohorts", "4 cohorts do not divide the 3+2 cycle"),
        ({"year_start": "2027-06-30"}, "year_start", "expected a Monday"),
        ({"slug": "city im"}, "slug", "letters, digits"),
        ({"slug": "alpha"}, "slug", "Another program already has this address."),
    ],
)
def test_a_bad_new_program_is_refused(client, two_programs, overrides, field, text):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("program_new"), _program_data(**overrides))
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert not Program.objects.filter(name="City IM").exists()


def test_residents_and_faculty_may_not_create_programs(client, two_programs):
    client.force_login(two_programs.faculty_user)
    assert client.get(reverse("program_new")).status_code == 403


def test_a_program_is_copied_through_its_bundle(client, director):
    RotationFactory(program=director.program, code="WARDS", setting="inpatient")
    response = client.post(_url("setup_copy"), {"name": "Alpha 2028", "slug": "alpha-2028"})
    assert response.status_code == 302
    copy = Program.objects.get(slug="alpha-2028")
    assert list(copy.rotations.values_list("code", flat=True)) == ["WARDS"]
    assert not copy.residents.exists()
    assert copy.roles.filter(user=director.director, kind="director").exists()


# The overview's checklist, list pages and history --------------------------------------------


def test_the_checklist_says_what_is_missing(client, director):
    response = client.get(_url("overview"))
    steps = {step.key: step for step in response.context["checklist"]}
    assert steps["tracks"].done and not steps["rotations"].done
    assert steps["rotations"].missing == ["Add the program's rotations."]
    assert steps["build"].missing == ["Add an academic year."]


def _grow(program, n):
    track = TrackFactory(program=program)
    for level in range(n):
        rotation = RotationFactory(program=program)
        StaffingRuleFactory(rotation=rotation)
        ResidentFactory(program=program, track=track)
        requirement = Requirement.objects.create(
            program=program, pgy_levels=[1 + level % 3], min_weeks=level % 5
        )
        requirement.tracks.set([track])
        requirement.rotations.set([rotation])


@pytest.mark.parametrize(
    "name, most",
    [
        # One more than the page's own reads: the navigation's pending-requests badge.
        ("setup_tracks", 8),
        ("setup_rotations", 9),
        ("setup_requirements", 10),
        ("setup_years", 8),
        ("setup_residents", 8),
        ("setup_faculty", 8),
        ("history", 8),
        ("overview", 20),
    ],
)
def test_list_pages_keep_a_constant_number_of_queries(
    client, director, django_assert_max_num_queries, name, most
):
    _grow(director.program, 2)
    with django_assert_max_num_queries(most):
        assert client.get(_url(name)).status_code == 200
    _grow(director.program, 20)
    for code in ("ZA", "ZB", "ZC"):
        client.post(
            _url("setup_track_new"),
            {"code": code, "name": code, "ambulatory_min": "30", "ambulatory_max": "40"},
        )
    with django_assert_max_num_queries(most):
        assert client.get(_url(name)).status_code == 200


def test_the_history_page_lists_set_up_changes(client, director):
    client.post(
        _url("setup_track_new"),
        {"code": "PC", "name": "Primary Care", "ambulatory_min": "50", "ambulatory_max": "60"},
    )
    client.post(
        _url("setup_track_edit", "PC"),
        {"code": "PC", "name": "Primary Care", "ambulatory_min": "50", "ambulatory_max": "65"},
    )
    response = client.get(_url("history"))
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == [Event.Kind.SETUP_CHANGED, Event.Kind.SETUP_CREATED]
    assert "[0.5, 0.65]" in response.content.decode()
    changed = response.context["rows"][0][1]
    assert changed == [("ambulatory_share", [0.5, 0.6], [0.5, 0.65])]


def test_htmx_validation_answers_with_the_problems_and_saves_nothing(client, director):
    data = {"code": "PC", "name": "Primary Care", "ambulatory_min": "70", "ambulatory_max": "60"}
    response = client.post(
        _url("setup_track_new"), data | {"_validate": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"lower end is above its upper end" in response.content
    assert b"<html" not in response.content
    assert not Track.objects.filter(code="PC").exists()


def test_a_requirement_or_band_change_that_breaks_the_draft_asks_first(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    requirement = Requirement.objects.get(program=built.program)
    wards = requirement.rotations.get()
    data = {"all_tracks": "on", "pgy": ["1", "2"], "rotations": [wards.pk], "min_weeks": "9"}
    response = client.post(_url("setup_requirement_edit", requirement.pk), data)
    assert response.status_code == 200
    messages = response.context["impact"][0].messages
    assert messages and all("WARDS" in m for m in messages)
    requirement.refresh_from_db()
    assert requirement.min_weeks == 2
    band = {"code": "CAT", "name": "Categorical", "ambulatory_min": "90", "ambulatory_max": "100"}
    response = client.post(_url("setup_track_edit", "CAT"), band)
    assert response.status_code == 200 and response.context["impact"]
    assert b"Save anyway" in response.content
    assert Track.objects.get(program=built.program, code="CAT").ambulatory_min == Decimal("0.3")
    confirmed = client.post(_url("setup_track_edit", "CAT"), band | {"confirm": "1"})
    assert confirmed.status_code == 302
    assert Track.objects.get(program=built.program, code="CAT").ambulatory_min == Decimal("0.9")


def test_editing_one_staffing_row_keeps_the_others_and_a_ticked_row_goes(client, director):
    client.post(_url("setup_rotation_new"), _rotation_data())
    edit = _rotation_data(**{"staffing-INITIAL_FORMS": "2", "staffing-TOTAL_FORMS": "4"})
    edit |= {"staffing-0-min": "1"}
    assert client.post(_url("setup_rotation_edit", "ICU"), edit).status_code == 302
    rotation = Rotation.objects.get(program__slug="alpha", code="ICU")
    rules = [(r.pgy_levels, r.min_residents, r.max_residents) for r in rotation.staffing.all()]
    assert rules == [([1], 1, 3), ([2, 3], 1, None)]
    edit |= {"staffing-1-DELETE": "on"}
    assert client.post(_url("setup_rotation_edit", "ICU"), edit).status_code == 302
    assert [r.pgy_levels for r in rotation.staffing.all()] == [[1]]


def test_a_faculty_member_stops_mentoring_and_an_invitation_is_prefilled(client, director):
    member = director.faculty
    data = {"external_id": member.external_id, "name": member.name, "email": member.email}
    data |= {"mentor_capacity": "2", "mentor_status": "inactive", "interests": ""}
    assert client.post(_url("setup_faculty_edit", member.pk), data).status_code == 302
    member.refresh_from_db()
    assert member.mentor_status == "inactive"
    resident = ResidentFactory(program=director.program, track=director.resident.track)
    form = client.get(_url("invite") + f"?resident={resident.pk}").context["form"]
    assert form.initial == {"resident": resident.pk, "role": "resident", "email": resident.email}
    other = director.other_resident
    page = client.get(_url("invite") + f"?resident={other.pk}")
    assert page.context["form"].initial == {}
    assert other.email not in page.content.decode()


def test_a_year_with_a_schedule_is_neither_deleted_nor_moved(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    response = client.post(_url("setup_year_delete", "2027-2028"), follow=True)
    assert "Not deleted: 2027-2028 has a schedule (1 version)." in response.content.decode()
    moved = {"name": "2027-2028", "start": "2027-07-05", "weeks": "10"}
    response = client.post(_url("setup_year_edit", "2027-2028"), moved)
    assert response.status_code == 200
    assert "its start and length cannot change" in " ".join(
        response.context["form"].errors["start"]
    )
    year = AcademicYear.objects.get(program=built.program)
    assert year.start == datetime.date(2027, 6, 28)
    assert not _events(Event.Kind.SETUP_CHANGED).exists()


def test_a_track_row_is_edited_in_place_with_htmx(client, director):
    htmx = {"HX-Request": "true"}
    row = client.get(_url("setup_track_edit", "CAT") + "?row=1", headers=htmx)
    assert b'<tr id="track-CAT"' in row.content and b'name="ambulatory_min"' in row.content
    assert b"<html" not in row.content
    bad = {"_row": "1", "code": "CAT", "name": "Categorical", "ambulatory_min": "40"}
    response = client.post(
        _url("setup_track_edit", "CAT"), bad | {"ambulatory_max": "30"}, headers=htmx
    )
    assert b"lower end is above its upper end" in response.content
    assert Track.objects.get(program=director.program).ambulatory_max == Decimal("0.5")
    good = bad | {"ambulatory_max": "45"}
    response = client.post(_url("setup_track_edit", "CAT"), good, headers=htmx)
    assert response.status_code == 200 and "40–45%" in response.content.decode()
    assert b'name="ambulatory_min"' not in response.content
    assert Track.objects.get(program=director.program).ambulatory_max == Decimal("0.45")


def test_deleting_an_unused_track_rotation_or_year_keeps_what_it_was_in_the_history(
    client, director
):
    program = director.program
    TrackFactory(program=program, code="PRE")
    RotationFactory(program=program, code="ICU")
    AcademicYearFactory(program=program, name="2030-2031")
    for name, arg in (
        ("setup_track_delete", "PRE"),
        ("setup_rotation_delete", "ICU"),
        ("setup_year_delete", "2030-2031"),
    ):
        assert client.post(_url(name, arg)).status_code == 302
    events = list(_events(Event.Kind.SETUP_DELETED).order_by("pk"))
    assert [e.subject for e in events] == ["Track PRE", "Rotation ICU", "Academic year 2030-2031"]
    assert [e.before["code"] for e in events[:2]] == ["PRE", "ICU"]
    assert events[2].before["name"] == "2030-2031"
    assert all(e.actor == director.director for e in events)
    assert not Track.objects.filter(program=program, code="PRE").exists()
    assert not Rotation.objects.filter(program=program, code="ICU").exists()
    assert not AcademicYear.objects.filter(program=program, name="2030-2031").exists()
