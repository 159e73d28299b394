"""Set-up gaps of issue 12: staffing rules added and removed in the page, the program's
settings and X+Y template after creation, faculty deactivated, invitations per roster row,
and the limits reachable from the set-up pages."""

import datetime

import pytest
from django.urls import reverse

from history.models import Event
from programs.models import Faculty, Program, Rotation
from tests.factories import FacultyFactory, ResidentFactory
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(client, two_programs):
    client.force_login(two_programs.director)
    return two_programs


def _url(name, *args):
    return reverse(f"programs:{name}", args=["alpha", *args])


def _rotation(rows, total=None):
    """A new rotation's POST with staffing `rows` ({index: (pgy, min, max)})."""
    data = {
        "code": "ICU",
        "name": "Medical ICU",
        "setting": "critical_care",
        "phase": "x",
        "color": "#b02a37",
        "staffing-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "staffing-INITIAL_FORMS": "0",
        "staffing-MIN_NUM_FORMS": "0",
        "staffing-MAX_NUM_FORMS": "1000",
    }
    for index, (pgy, low, high) in rows.items():
        data |= {
            f"staffing-{index}-pgy": pgy,
            f"staffing-{index}-min": low,
            f"staffing-{index}-max": high,
        }
    return data


# Staffing rules ---------------------------------------------------------------------------


def test_the_rotation_form_offers_one_rule_and_a_button_for_more(client, director):
    response = client.get(_url("setup_rotation_new"))
    assert len(response.context["staffing"].forms) == 1
    text = response.content.decode()
    assert 'data-add-row="#staffing-empty"' in text
    assert '<template id="staffing-empty">' in text
    assert 'name="staffing-__prefix__-min"' in text  # the row the button copies
    assert "data-remove-row" in text
    assert "Save, then edit again" not in text


def test_rules_added_in_the_page_are_saved_in_order(client, director):
    rows = {0: (["1"], "2", "3"), 1: (["2"], "1", ""), 2: (["3"], "0", "1")}
    assert client.post(_url("setup_rotation_new"), _rotation(rows)).status_code == 302
    rotation = Rotation.objects.get(program__slug="alpha", code="ICU")
    rules = [(r.pgy_levels, r.min_residents, r.max_residents) for r in rotation.staffing.all()]
    assert rules == [([1], 2, 3), ([2], 1, None), ([3], 0, 1)]


def test_an_added_rule_with_min_above_max_shows_its_error_on_its_row(client, director):
    rows = {0: (["1"], "2", "3"), 1: (["2"], "1", ""), 2: (["3"], "4", "1")}
    response = client.post(_url("setup_rotation_new"), _rotation(rows))
    assert response.status_code == 200
    forms = response.context["staffing"].forms
    assert not forms[0].errors and not forms[1].errors
    assert "min 4 is greater than max 1" in str(forms[2].errors)
    assert not Rotation.objects.filter(program__slug="alpha", code="ICU").exists()


def test_a_removed_row_is_not_saved_and_an_empty_added_row_is_ignored(client, director):
    rows = {0: (["1"], "2", "3"), 1: (["2"], "9", "1"), 2: ([], "", "")}
    data = _rotation(rows) | {"staffing-1-DELETE": "on"}
    assert client.post(_url("setup_rotation_new"), data).status_code == 302
    rotation = Rotation.objects.get(program__slug="alpha", code="ICU")
    assert [r.pgy_levels for r in rotation.staffing.all()] == [[1]]


# Program settings -------------------------------------------------------------------------


def _settings(program, **overrides):
    data = {
        name: getattr(program, name)
        for name in ("name", "institution", "timezone", "x_weeks", "y_weeks", "cohorts")
    }
    return data | overrides


def test_name_time_zone_and_template_are_saved_with_history(client, director):
    program = director.program
    data = _settings(program, name="Alpha IM", timezone="America/Chicago", x_weeks=4, y_weeks=1)
    response = client.post(_url("setup_program"), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.timezone, program.x_weeks, program.y_weeks) == (
        "Alpha IM",
        "America/Chicago",
        4,
        1,
    )
    event = Event.objects.get(program=program, kind=Event.Kind.SETUP_CHANGED)
    assert event.actor == director.director
    assert event.before["x_weeks"] == 3 and event.after["x_weeks"] == 4
    assert event.after["timezone"] == "America/Chicago" and "cohorts" not in event.after


def test_the_bundle_rules_refuse_cohorts_that_do_not_divide_the_cycle(client, director):
    program = director.program
    response = client.post(_url("setup_program"), _settings(program, cohorts=3))
    assert response.status_code == 200
    assert response.context["form"].errors["cohorts"]
    assert response.context["preview"] is None  # the typed template has no pattern
    assert Program.objects.get(slug="alpha").cohorts == 5  # nothing saved
    assert not Event.objects.filter(program=program, kind=Event.Kind.SETUP_CHANGED).exists()
    typed = client.post(_url("setup_program"), _settings(program, x_weeks=4, y_weeks=1, cohorts=1))
    assert typed.status_code == 302
    page = client.get(_url("setup_program"))
    assert (
        len(page.context["preview"]) == 1 and "".join(page.context["preview"][0][1])[:5] == "xxxxy"
    )


def test_fewer_cohorts_are_refused_while_a_resident_is_in_a_later_one(client, director):
    ResidentFactory(program=director.program, track=director.resident.track, cohort=4)
    response = client.post(_url("setup_program"), _settings(director.program, cohorts=1))
    assert response.status_code == 200
    assert "cohort" in str(response.context["form"].errors).lower()
    assert Program.objects.get(slug="alpha").cohorts == 5


def test_the_template_is_locked_once_a_year_has_versions(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    page = client.get(_url("setup_program")).content.decode()
    assert "2027-2028 has 1 version: copy the program for a new template" in page
    program = built.program
    cycle = program.x_weeks + program.y_weeks
    response = client.post(
        _url("setup_program"), _settings(program, x_weeks=cycle - 1, y_weeks=1, cohorts=1)
    )
    assert response.status_code == 200
    assert "copy the program for a new template" in str(response.context["form"].errors)
    program.refresh_from_db()
    assert program.cohorts != 1 or program.y_weeks != 1
    # The name still changes.
    response = client.post(_url("setup_program"), _settings(program, name="Alpha renamed"))
    assert response.status_code == 302
    assert Program.objects.get(slug="alpha").name == "Alpha renamed"


# Roster -----------------------------------------------------------------------------------


def test_a_faculty_member_is_deactivated_and_stays(client, director):
    member = FacultyFactory(program=director.program, mentor_capacity=2)
    page = client.get(_url("setup_faculty")).content.decode()
    assert _url("setup_faculty_deactivate", member.pk) in page
    from mentoring.models import Mentorship

    Mentorship.objects.create(
        program=director.program,
        mentor=member,
        resident=director.resident,
        started_on=datetime.date(2026, 7, 1),
    )
    confirm = client.get(_url("setup_faculty_deactivate", member.pk)).content.decode()
    assert "mentors 1 resident now" in confirm
    response = client.post(_url("setup_faculty_deactivate", member.pk))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.mentor_status == Faculty.MentorStatus.INACTIVE
    event = Event.objects.get(program=director.program, kind=Event.Kind.SETUP_CHANGED)
    assert event.after["mentor_status"] == "inactive" and event.before["mentor_status"] == "active"
    page = client.get(_url("setup_faculty")).content.decode()
    assert _url("setup_faculty_deactivate", member.pk) not in page


def test_a_roster_row_without_an_account_has_an_invite_button(client, director):
    member = FacultyFactory(program=director.program, user=None)
    resident = ResidentFactory(program=director.program, track=director.resident.track)
    faculty_page = client.get(_url("setup_faculty")).content.decode()
    assert f"?faculty={member.pk}" in faculty_page
    assert f"?faculty={director.faculty.pk}" not in faculty_page  # has an account
    residents_page = client.get(_url("setup_residents")).content.decode()
    assert f"?resident={resident.pk}" in residents_page
    assert f"?resident={director.resident.pk}" not in residents_page


# Limits -----------------------------------------------------------------------------------


def test_the_set_up_pages_lead_to_both_limits_editors(client, director):
    nav = client.get(_url("setup_tracks")).content.decode()
    assert reverse("compliance:dashboard", args=["alpha"]) + "#limits" in nav
    assert reverse("resident_requests:limits", args=["alpha"]) in nav
    assert _url("setup_program") in nav
    overview = client.get(_url("overview")).content.decode()
    assert reverse("resident_requests:limits", args=["alpha"]) in overview
    limits = client.get(reverse("resident_requests:limits", args=["alpha"]))
    assert limits.status_code == 200 and b"setup-nav" in limits.content


def test_request_limits_saved_from_set_up_are_recorded_in_history(client, director):
    url = reverse("resident_requests:limits", args=["alpha"])
    data = {"vacation_weeks_per_year": "3", "notice_days": "14", "blackout": "2027-06-28"}
    assert client.post(url, data).status_code == 302
    event = Event.objects.get(program=director.program, kind=Event.Kind.SETUP_CHANGED)
    assert event.subject == "Request limits" and event.actor == director.director
    assert event.before == {"vacation_weeks_per_year": 4, "blackout_weeks": []}
    assert event.after == {"vacation_weeks_per_year": 3, "blackout_weeks": ["2027-06-28"]}
    assert client.post(url, data).status_code == 302  # the same again: nothing to record
    assert Event.objects.filter(program=director.program).count() == 1
    history = client.get(_url("history")).content.decode()
    assert "Request limits" in history


def test_work_limits_are_recorded_in_history(director):
    from compliance.services import compliance_settings_update

    program = director.program
    compliance_settings_update(
        program=program, overrides={"vacation_weeks_per_year": 3}, by=director.director
    )
    event = Event.objects.get(program=program, kind=Event.Kind.SETUP_CHANGED)
    assert event.subject == "Work limits" and event.actor == director.director
    assert event.before == {"vacation_weeks_per_year": "default"}
    assert event.after == {"vacation_weeks_per_year": 3}
    compliance_settings_update(program=program, overrides={"vacation_weeks_per_year": 3}, by=None)
    assert Event.objects.filter(program=program).count() == 1
