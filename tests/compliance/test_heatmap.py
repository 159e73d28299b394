"""The coverage heatmap: week x rotation staffing of the version that counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import Assignment, ScheduleVersion
from tests.support.compliance_world import build_world, reopened


def url(slug="alpha", year="2027-2028"):
    return reverse("compliance:heatmap", args=[slug, year])


@pytest.fixture
def world(two_programs):
    return build_world(program=two_programs.program, director=two_programs.director, residents=6)


def test_schedulers_see_the_heatmap(client, two_programs, world):
    for user in (two_programs.director, two_programs.chief):
        client.force_login(user)
        assert client.get(url()).status_code == 200


def test_residents_and_faculty_do_not(client, two_programs, world):
    for user in (two_programs.resident_user, two_programs.faculty_user):
        client.force_login(user)
        assert client.get(url()).status_code == 403


def test_outsiders_get_a_404_and_anonymous_visitors_sign_in(client, two_programs, world):
    client.force_login(two_programs.other_director)
    assert client.get(url()).status_code == 404
    client.logout()
    assert client.get(url())["Location"].startswith(reverse("account_login"))


def test_an_unknown_year_is_a_404(client, two_programs, world):
    client.force_login(two_programs.director)
    assert client.get(url(year="1999-2000")).status_code == 404


def rows(html: str) -> dict[str, list[str]]:
    """Per rotation code, the CSS classes of its week cells."""
    table = re.search(r'<table class="heat" id="heatmap">.*?</table>', html, re.S).group(0)
    out = {}
    for row in re.findall(r"<tr><th class=\"name\">(.*?)</tr>", table, re.S):
        chip = re.search(r'rotation-chip"[^>]*>(\w+)<', row)
        if chip:  # the header row has none
            out[chip.group(1)] = re.findall(r'<td class="(hm-[\w-]+)', row)
    return out


def test_each_cell_is_coloured_by_staffed_against_the_rules_minimum_and_maximum(
    client, two_programs, world
):
    client.force_login(two_programs.director)
    html = client.get(url()).content.decode()
    cells = rows(html)
    assert len(cells["WARDS"]) == 52
    assert set(cells["WARDS"]) == {"hm-ok"}  # 1..400 residents: always within
    assert any(c.startswith("hm-under") for c in cells["ICU"])  # one ICU block each: gaps
    assert set(cells["CLINIC"]) <= {"hm-free", "hm-none"}  # no staffing rule
    assert int(re.search(r'id="under-total">(\d+)<', html).group(1)) > 0


def test_too_many_residents_shows_as_over(client, two_programs, world):
    version = world.versions[0]
    icu = world.rotations["ICU"]
    with reopened(version):
        Assignment.objects.filter(
            version=version, week=10, rotation=world.rotations["WARDS"]
        ).update(rotation=icu)
    client.force_login(two_programs.director)
    html = client.get(url()).content.decode()
    assert rows(html)["ICU"][10].startswith("hm-over")


def test_it_uses_the_published_version_before_a_newer_draft(client, two_programs, world):
    ScheduleVersion.objects.create(schedule=world.schedules[0], number=2)
    client.force_login(two_programs.director)
    html = client.get(url()).content.decode()
    assert "v1" in html and "published" in html


def test_a_year_with_nothing_built_says_so(client, two_programs, world):
    ScheduleVersion.objects.filter(pk=world.versions[0].pk).update(status="discarded")
    client.force_login(two_programs.director)
    html = client.get(url()).content.decode()
    assert "no published or draft schedule yet" in html


# 13 since the navigation counts pending requests for schedulers (one query).
HEATMAP_MAX_QUERIES = 13


def test_it_keeps_a_constant_number_of_queries_as_the_program_grows(
    client, two_programs, world, django_assert_max_num_queries
):
    build_world(
        program=two_programs.other_program, director=two_programs.other_director, residents=80
    )
    counts = []
    for user, slug in ((two_programs.director, "alpha"), (two_programs.other_director, "beta")):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(slug)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= HEATMAP_MAX_QUERIES
    with django_assert_max_num_queries(HEATMAP_MAX_QUERIES):
        client.get(url("beta"))
