"""The program compliance dashboard: who sees it, what it shows, recompute, limits, queries."""

import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import ComplianceRun, ProgramLimits
from compliance.selectors import program_limit_overrides
from compliance.services import compliance_run_create
from programs.models import Program, Role
from scheduling.models import Schedule
from tests.factories import RoleFactory, UserFactory
from tests.support.compliance_world import build_world

URL = reverse("compliance:dashboard", args=["alpha"])
AS_OF = datetime.date(2027, 9, 6)


def stored(two_programs, residents=6, years=1):
    world = build_world(
        program=two_programs.program,
        director=two_programs.director,
        residents=residents,
        years=years,
    )
    run = compliance_run_create(schedule=world.schedules[-1], trigger="edit", as_of=AS_OF)
    return world, run


@pytest.fixture
def world(two_programs):
    return stored(two_programs)


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_it_shows_the_dashboard_to_the_director_and_the_chief(client, two_programs, world):
    assert page(client, two_programs.director).status_code == 200
    assert page(client, two_programs.chief).status_code == 200


def test_it_keeps_residents_and_faculty_out(client, two_programs, world):
    assert page(client, two_programs.resident_user).status_code == 403
    assert page(client, two_programs.faculty_user).status_code == 403


def test_it_hides_the_program_from_outsiders(client, two_programs, world):
    assert page(client, two_programs.other_director).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_the_latest_runs_counts_and_worst_residents_first(client, two_programs, world):
    _, run = world
    html = page(client, two_programs.director).content.decode()
    assert f'id="count-critical">{run.critical_count}<' in html
    assert f'id="count-warning">{run.warning_count}<' in html
    worst = re.search(r'<table[^>]*id="worst".*?</table>', html, re.S).group(0)
    assert "Resident 000" in worst  # the PC resident: below the track band
    assert "trend-chart" in html and "vendor/chartjs/chart.umd.min.js" in html


def test_each_finding_shows_its_rule_source_and_figure_against_the_limit(
    client, two_programs, world
):
    html = page(client, two_programs.director, severity="critical").content.decode()
    table = re.search(r'id="findings-table".*?</table>', html, re.S).group(0)
    assert "<strong>Service short-staffed</strong>" in table
    assert "Program rule (weekly staffing per rotation and PGY group)" in table
    assert "PGY-1/2/3: 1–3" in table
    assert "sev-warning" not in table


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        (
            {"rule": "track_band"},
            "Ambulatory share within the track&#x27;s target (this year)",
            "Service short-staffed",
        ),
        ({"pgy": "3"}, "PGY-3 ·", "PGY-1 ·"),
        ({"track": "PC"}, "· PC", "· CAT"),
    ],
)
def test_it_filters_the_findings(client, two_programs, world, params, present, absent):
    html = page(client, two_programs.director, **params).content.decode()
    table = re.search(r'id="findings-table".*?</table>', html, re.S).group(0)
    assert present in table
    assert absent not in table


def test_a_stale_filter_value_still_shows_the_page(client, two_programs, world):
    response = page(client, two_programs.director, severity="bogus", pgy="x", rule="nope")
    assert response.status_code == 200


def test_it_opens_on_the_year_containing_today_else_the_latest(client, two_programs):
    _world, _ = stored(two_programs, years=2)
    with mock.patch("compliance.views.program_today", return_value=datetime.date(2026, 9, 1)):
        html = page(client, two_programs.director).content.decode()
    assert 'btn btn-primary" href="?year=2026-2027"' in html
    with mock.patch("compliance.views.program_today", return_value=datetime.date(2031, 1, 1)):
        html = page(client, two_programs.director).content.decode()
    assert 'btn btn-primary" href="?year=2027-2028"' in html
    html = page(client, two_programs.director, year="2026-2027").content.decode()
    assert "not been checked yet" in html


def test_recompute_now_stores_a_manual_run(
    client, two_programs, world, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "recompute", "year": "2027-2028"})
    assert response.status_code == 302
    assert ComplianceRun.objects.filter(trigger="manual").count() == 1


def test_residents_cannot_ask_for_a_recompute(client, two_programs, world):
    client.force_login(two_programs.resident_user)
    assert client.post(URL, {"action": "recompute"}).status_code == 403
    assert ComplianceRun.objects.count() == 1


def test_it_lists_every_limit_with_value_default_unit_and_source(client, two_programs, world):
    ProgramLimits.objects.create(
        program=two_programs.program, overrides={"vacation_weeks_per_year": 3}
    )
    html = page(client, two_programs.director).content.decode()
    limits = re.search(r'id="limits-table".*?</table>', html, re.S).group(0)
    from compliance.engine import LIMITS
    from compliance.wording import limit_title

    for limit_id in LIMITS:
        assert f"<strong>{limit_title(limit_id)}</strong>" in limits
        assert limit_id not in limits
    assert limits.count(">verify<") == 3
    assert ">3 <span" in limits and "33.3%" in limits


def limits_post(overrides=None):
    data = {
        "action": "limits",
        "year": "2027-2028",
        "ambulatory_floor": "33.33",
        "inpatient_floor": "33.33",
        "clinic_half_days_per_week": "3",
        "continuity_clinic_min_sessions": "130",
        "residency_years": "3",
        "critical_care_min_months": "3",
        "critical_care_max_months": "6",
        "weeks_per_month": "4",
        "max_consecutive_intense_blocks": "2",
        "vacation_weeks_per_year": "4",
        "required_experiences": "geriatrics, palliative care, addiction medicine, "
        "emergency medicine, neurology",
    }
    data.update(overrides or {})
    return data


def test_a_director_saves_limits_as_overrides_and_every_schedule_is_checked_again(
    client, two_programs, world, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, limits_post({"vacation_weeks_per_year": "3"}))
    assert response.status_code == 302
    program = Program.objects.get(pk=two_programs.program.pk)
    # Only what differs from the defaults is stored: one-third posted back stays one-third.
    assert program_limit_overrides(program=program) == {"vacation_weeks_per_year": 3}
    latest = ComplianceRun.objects.latest()
    assert latest.trigger == "edit" and latest.figures["limits"]["vacation_weeks_per_year"] == 3


def test_invalid_limits_re_render_with_the_error_and_are_never_saved(client, two_programs, world):
    client.force_login(two_programs.director)
    response = client.post(
        URL, limits_post({"critical_care_min_months": "8", "ambulatory_floor": "50"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "exceeds" in html and "is-invalid" in html
    assert program_limit_overrides(program=two_programs.program) == {}
    assert not Schedule.objects.filter(compliance_dirty=True).exists()
    response = client.post(URL, limits_post({"ambulatory_floor": "150"}))
    assert "less than or equal to 100" in response.content.decode()


def test_only_managers_edit_limits(client, two_programs, world):
    client.force_login(two_programs.chief)
    assert client.post(URL, limits_post({"vacation_weeks_per_year": "3"})).status_code == 403
    assert "limits-edit" not in page(client, two_programs.chief).content.decode()
    assert program_limit_overrides(program=two_programs.program) == {}


def test_a_coordinator_is_a_manager_too(client, two_programs, world):
    coordinator = UserFactory()
    RoleFactory(user=coordinator, program=two_programs.program, kind=Role.Kind.COORDINATOR)
    client.force_login(coordinator)
    assert client.post(URL, limits_post({"residency_years": "4"})).status_code == 302


def test_an_unknown_action_is_refused(client, two_programs, world):
    client.force_login(two_programs.director)
    assert client.post(URL, {"action": "drop tables"}).status_code == 400


def test_a_program_without_years_still_shows_its_limits(client, two_programs):
    html = page(client, two_programs.director).content.decode()
    assert "no academic year yet" in html and 'id="limits-table"' in html


def count_queries(client, user, slug, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("compliance:dashboard", args=[slug]), params)
    assert response.status_code == 200
    assert "count-critical" in response.content.decode()
    return len(queries)


# 17 since the navigation counts pending requests for schedulers (one query).
DASHBOARD_MAX_QUERIES = 17


def test_it_keeps_a_constant_number_of_queries_as_the_program_grows(
    client, two_programs, django_assert_max_num_queries
):
    stored(two_programs, residents=5)
    build = build_world(
        program=two_programs.other_program,
        director=two_programs.other_director,
        residents=80,
        years=2,
    )
    compliance_run_create(schedule=build.schedules[-1], trigger="edit", as_of=AS_OF)
    filters = {"severity": "warning", "track": "CAT", "pgy": "2", "page": "2"}
    small = count_queries(client, two_programs.director, "alpha", year="2027-2028")
    large = count_queries(client, two_programs.other_director, "beta", year="2027-2028")
    assert small == large <= DASHBOARD_MAX_QUERIES
    client.force_login(two_programs.other_director)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        client.get(reverse("compliance:dashboard", args=["beta"]), filters | {"year": "2027-2028"})
