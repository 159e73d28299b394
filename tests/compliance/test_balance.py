"""A resident's balance page: who may open it, what it shows, and its query count."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.services import compliance_run_create
from programs.models import Resident
from tests.factories import ResidentFactory
from tests.support.compliance_world import build_world

AS_OF = datetime.date(2027, 9, 6)


def url(resident, slug="alpha"):
    return reverse("compliance:resident_balance", args=[slug, resident.pk])


@pytest.fixture
def world(two_programs):
    world = build_world(
        program=two_programs.program, director=two_programs.director, residents=5, years=2
    )
    compliance_run_create(schedule=world.schedules[0], trigger="edit", as_of=AS_OF)
    compliance_run_create(schedule=world.schedules[1], trigger="edit", as_of=AS_OF)
    return world


def test_a_resident_sees_their_own_balance(client, two_programs, world):
    client.force_login(two_programs.resident_user)
    response = client.get(url(two_programs.resident))
    assert response.status_code == 200
    assert two_programs.resident.name in response.content.decode()


def test_a_resident_may_not_see_a_classmates_balance(client, two_programs, world):
    client.force_login(two_programs.resident_user)
    classmate = next(r for r in world.residents if r.pk != two_programs.resident.pk)
    assert client.get(url(classmate)).status_code == 403


def test_the_director_and_the_chief_see_everyone_in_their_program(client, two_programs, world):
    for user in (two_programs.director, two_programs.chief, two_programs.faculty_user):
        client.force_login(user)
        for resident in world.residents[:3]:
            assert client.get(url(resident)).status_code == 200


def test_outsiders_get_a_404(client, two_programs, world):
    client.force_login(two_programs.other_director)
    assert client.get(url(two_programs.resident)).status_code == 404
    client.force_login(two_programs.director)
    assert client.get(url(two_programs.other_resident, "alpha")).status_code == 404
    assert client.get(url(two_programs.other_resident, "beta")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(url(world.residents[0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def chart_data(response) -> dict:
    html = response.content.decode()
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_it_charts_each_year_and_the_targets(client, two_programs, world):
    senior = next(r for r in world.residents if r.pgy == 2)
    client.force_login(two_programs.director)
    response = client.get(url(senior))
    data = chart_data(response)
    assert data["years"]["labels"] == ["2026-2027 · PGY-1", "2027-2028 · PGY-2"]
    assert all(
        sum(week) <= 52
        for week in zip(
            *[
                data["years"][k]
                for k in ("ambulatory", "inpatient", "critical_care", "vacation", "leave")
            ],
            strict=True,
        )
    )
    assert data["shares"]["bands"][0] == [0.34, 0.5]
    assert data["shares"]["floor"] == pytest.approx(1 / 3)
    assert (data["critical_care"]["min"], data["critical_care"]["max"]) == (3, 6)
    assert data["clinic"]["min"] == 130
    html = response.content.decode()
    for canvas in ("years-chart", "share-chart", "cc-chart", "clinic-chart"):
        assert f'id="{canvas}"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    # Nothing loads from another host (a bare "cdn" search also matched random CSRF tokens).
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_it_lists_the_residents_findings_from_the_latest_runs(client, two_programs, world):
    primary_care = Resident.objects.get(program=two_programs.program, external_id="A000")
    client.force_login(two_programs.director)
    html = client.get(url(primary_care)).content.decode()
    findings = re.search(r'id="resident-findings".*?</ul>', html, re.S).group(0)
    # a PC resident at 40% ambulatory
    assert (
        "<strong>Ambulatory share within the track&#x27;s target (this year)</strong>" in findings
    )
    assert "short-staffed" not in findings  # program-level findings are not theirs


def test_it_says_so_when_no_check_includes_the_resident_yet(client, two_programs, world):
    newcomer = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    client.force_login(two_programs.director)
    html = client.get(url(newcomer)).content.decode()
    assert "No compliance check includes" in html
    assert "chart-data" not in html


def count_queries(client, user, resident, slug) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(resident, slug))
    assert response.status_code == 200
    assert "chart-data" in response.content.decode()
    return len(queries)


BALANCE_MAX_QUERIES = 12


def test_it_keeps_a_constant_number_of_queries_as_the_program_grows(
    client, two_programs, world, django_assert_max_num_queries
):
    large = build_world(
        program=two_programs.other_program,
        director=two_programs.other_director,
        residents=80,
        years=3,
    )
    for schedule in large.schedules:
        compliance_run_create(schedule=schedule, trigger="edit", as_of=AS_OF)
    small = count_queries(client, two_programs.director, world.residents[2], "alpha")
    big = count_queries(client, two_programs.other_director, large.residents[40], "beta")
    assert small == big <= BALANCE_MAX_QUERIES
    with django_assert_max_num_queries(BALANCE_MAX_QUERIES):
        client.get(url(large.residents[7], "beta"))
