"""Academic-year roll-over: the service and its preview/confirm page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.models import AcademicYear, Requirement, Resident, Role
from programs.services.rollover import academic_year_rollover, rollover_plan
from tests.factories import (
    AcademicYearFactory,
    ResidentFactory,
    RoleFactory,
    TrackFactory,
    UserFactory,
)

TODAY = datetime.date(2027, 11, 1)  # inside 2027-2028
URL = reverse("programs:rollover", args=["alpha"])


@pytest.fixture
def roster(two_programs):
    program = two_programs.program
    AcademicYearFactory(program=program, name="2027-2028", start=datetime.date(2027, 6, 28))
    categorical = two_programs.resident.track
    prelim = TrackFactory(program=program, code="PRE", name="Preliminary")
    people = {
        "intern": two_programs.resident,  # PGY-1 categorical
        "junior": ResidentFactory(program=program, track=categorical, pgy=2),
        "senior": ResidentFactory(program=program, track=categorical, pgy=3),
        "prelim": ResidentFactory(program=program, track=prelim, pgy=1),
        "on_leave": ResidentFactory(program=program, track=categorical, pgy=2, status="leave"),
        "gone": ResidentFactory(program=program, track=categorical, pgy=3, status="graduated"),
    }
    return people


def fresh(resident):
    return Resident.objects.get(pk=resident.pk)


def test_it_opens_the_next_year_the_monday_after_the_current_one_ends(two_programs, roster):
    year = academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    assert (year.name, year.start, year.weeks) == ("2028-2029", datetime.date(2028, 6, 26), 52)
    assert year.start.weekday() == 0


def test_it_graduates_the_pgy3s_and_the_one_year_interns_and_promotes_the_rest(
    two_programs, roster
):
    academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    assert (fresh(roster["senior"]).status, fresh(roster["senior"]).pgy) == ("graduated", 3)
    assert (fresh(roster["prelim"]).status, fresh(roster["prelim"]).pgy) == ("graduated", 1)
    assert (fresh(roster["intern"]).status, fresh(roster["intern"]).pgy) == ("active", 2)
    assert fresh(roster["junior"]).pgy == 3
    assert (fresh(roster["on_leave"]).status, fresh(roster["on_leave"]).pgy) == ("leave", 3)
    assert fresh(roster["gone"]).pgy == 3  # already graduated: untouched


def test_a_track_whose_requirements_are_pgy1_only_is_a_one_year_track(two_programs, roster):
    short = TrackFactory(program=two_programs.program, code="SHORT", name="Short")
    requirement = Requirement.objects.create(
        program=two_programs.program, pgy_levels=[1], min_weeks=1
    )
    requirement.tracks.add(short)
    intern = ResidentFactory(program=two_programs.program, track=short, pgy=1)
    academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    assert fresh(intern).status == "graduated"


def test_it_refuses_a_second_roll_over_and_changes_nothing(two_programs, roster):
    academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    with pytest.raises(ValidationError, match="already exists"):
        academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    assert fresh(roster["intern"]).pgy == 2
    assert AcademicYear.objects.filter(program=two_programs.program).count() == 2


def test_it_refuses_when_the_following_year_was_imported_already(two_programs, roster):
    AcademicYearFactory(
        program=two_programs.program, name="2028-2029", start=datetime.date(2028, 6, 26)
    )
    with pytest.raises(ValidationError, match="2028-2029"):
        academic_year_rollover(program=two_programs.program, by=None, today=TODAY)
    assert fresh(roster["senior"]).status == "active"


def test_it_takes_a_given_start_and_length(two_programs, roster):
    year = academic_year_rollover(
        program=two_programs.program,
        by=None,
        start=datetime.date(2028, 7, 3),
        weeks=53,
        today=TODAY,
    )
    assert (year.start, year.weeks) == (datetime.date(2028, 7, 3), 53)


@pytest.mark.parametrize(
    ("start", "message"),
    [(datetime.date(2028, 7, 4), "Monday"), (datetime.date(2028, 1, 3), "must start after")],
)
def test_it_refuses_a_bad_start(two_programs, roster, start, message):
    with pytest.raises(ValidationError, match=message):
        academic_year_rollover(program=two_programs.program, by=None, start=start, today=TODAY)


@pytest.mark.parametrize("start", [datetime.date(9999, 12, 27), datetime.date(2101, 1, 3)])
def test_it_refuses_a_start_past_2100_instead_of_overflowing(two_programs, roster, start):
    with pytest.raises(ValidationError, match="from 1 Jan 2000 to 31 Dec 2100"):
        academic_year_rollover(program=two_programs.program, by=None, start=start, today=TODAY)
    assert AcademicYear.objects.filter(program=two_programs.program).count() == 1


def test_a_program_without_years_cannot_roll_over(two_programs):
    with pytest.raises(ValidationError, match="no academic year"):
        rollover_plan(program=two_programs.program)


def test_the_preview_changes_nothing(two_programs, roster):
    plan = rollover_plan(program=two_programs.program, today=TODAY)
    assert {r.pk for r in plan.graduating} == {roster["senior"].pk, roster["prelim"].pk}
    assert roster["on_leave"].pk in {r.pk for r in plan.promoted}
    assert fresh(roster["intern"]).pgy == 1
    assert not AcademicYear.objects.filter(name="2028-2029").exists()


# --- The page ---------------------------------------------------------------------------


def test_the_director_sees_who_graduates_and_who_moves_up(client, two_programs, roster):
    client.force_login(two_programs.director)
    html = client.get(URL).content.decode()
    assert 'id="graduating-count">2<' in html
    assert roster["senior"].name in html and "PGY-1 → PGY-2" in html
    assert "→ 2028-2029" in html or "2028-2029" in html


def test_a_coordinator_may_roll_over_too(client, two_programs, roster):
    coordinator = UserFactory()
    RoleFactory(user=coordinator, program=two_programs.program, kind=Role.Kind.COORDINATOR)
    client.force_login(coordinator)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["chief", "faculty_user", "resident_user"])
def test_others_in_the_program_may_not(client, two_programs, roster, who):
    client.force_login(getattr(two_programs, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"weeks": 52, "confirm": "on"}).status_code == 403
    assert fresh(roster["intern"]).pgy == 1


def test_outsiders_get_a_404_and_anonymous_visitors_sign_in(client, two_programs, roster):
    client.force_login(two_programs.other_director)
    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL)["Location"].startswith(reverse("account_login"))


def test_confirming_rolls_over_and_returns_to_the_overview(client, two_programs, roster):
    client.force_login(two_programs.director)
    response = client.post(URL, {"weeks": 52, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:overview", args=["alpha"])
    assert fresh(roster["senior"]).status == "graduated"
    assert AcademicYear.objects.filter(program=two_programs.program).count() == 2


def test_nothing_happens_without_the_confirmation_box(client, two_programs, roster):
    client.force_login(two_programs.director)
    response = client.post(URL, {"weeks": 52})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert fresh(roster["intern"]).pgy == 1


def test_a_second_confirm_is_refused_with_a_clear_message(client, two_programs, roster):
    client.force_login(two_programs.director)
    client.post(URL, {"weeks": 52, "confirm": "on"})
    response = client.post(URL, {"weeks": 52, "confirm": "on"}, follow=True)
    assert "already exists" in response.content.decode()
    assert fresh(roster["intern"]).pgy == 2


def test_a_start_in_year_9999_is_a_clear_error_on_the_page(client, two_programs, roster):
    client.force_login(two_programs.director)

    preview = client.post(URL, {"start": "9999-12-27", "weeks": 52})
    confirmed = client.post(URL, {"start": "9999-12-27", "weeks": 52, "confirm": "on"})

    assert preview.status_code == confirmed.status_code == 200
    for response in (preview, confirmed):
        assert "from 1 Jan 2000 to 31 Dec 2100" in response.content.decode()
    assert fresh(roster["intern"]).pgy == 1
    assert AcademicYear.objects.filter(program=two_programs.program).count() == 1
