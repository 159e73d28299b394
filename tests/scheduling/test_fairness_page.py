"""The fairness page of a version: per class (track x PGY) the spread of nights, critical care,
holiday weeks worked and wishes granted, this year and summed over the program's years."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import Assignment, VersionResident
from scheduling.selectors_fairness import version_fairness
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.django_db


def _icu_weeks(version_ids) -> Counter:
    return Counter(
        Assignment.objects.filter(version_id__in=version_ids, rotation__code="ICU").values_list(
            "resident__name", flat=True
        )
    )


def test_critical_care_per_member_this_year_and_cumulative_match_the_cells():
    world = build_world(residents=12, years=3)
    version = world.versions[-1]
    classes = version_fairness(version=version)
    now, total = _icu_weeks([version.pk]), _icu_weeks([v.pk for v in world.versions])
    stored = VersionResident.objects.filter(version=version)
    assert sum(len(c.members) for c in classes) == stored.count()
    for group in classes:
        assert group.years == [y.name for y in world.years]
        for name, weeks, summed in zip(
            group.members,
            group.this_year["critical care"],
            group.cumulative["critical care"],
            strict=True,
        ):
            assert weeks == now[name]
            assert summed == total[name]
        assert group.spread()["critical care"] == (
            min(group.this_year["critical care"]),
            max(group.this_year["critical care"]),
        )
    assert {(c.track, c.pgy) for c in classes} == set(stored.values_list("track__code", "pgy"))


def _queries(client, residents: int, years: int, slug: str) -> int:
    world = build_world(residents=residents, years=years, slug=slug)
    client.force_login(world.director)
    version = world.versions[-1]
    url = reverse("scheduling:fairness", args=[slug, world.years[-1].name, version.number])
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


def test_the_page_runs_as_many_queries_for_40_residents_over_3_years_as_for_5_over_1(client):
    small = _queries(client, 5, 1, "small")
    large = _queries(client, 40, 3, "large")
    assert large == small
    assert small <= 25


def test_the_page_shows_each_class_a_chart_and_links_back(client):
    world = build_world(residents=10, years=2)
    client.force_login(world.director)
    year, version = world.years[-1], world.versions[-1]
    page = client.get(
        reverse("scheduling:fairness", args=["alpha", year.name, version.number])
    ).content.decode()
    assert 'id="fairness-table"' in page and "CAT PGY-1" in page and "cumulative" in page
    assert 'id="chart-data"' in page and "js/fairness.js" in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page  # CSP: data through json_script only
    grid = client.get(
        reverse("scheduling:grid", args=["alpha", year.name]) + f"?v={version.number}"
    ).content.decode()
    assert reverse("scheduling:fairness", args=["alpha", year.name, version.number]) in grid
