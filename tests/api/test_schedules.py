"""Schedules over the API: assignments (filters, pagination, ETag), who is on service,
compliance findings; everything named by the program's own keys, never database ids."""

import pytest
from django.urls import reverse

from programs.models import Resident
from scheduling.models import Assignment
from tests.api.conftest import YEAR

pytestmark = pytest.mark.django_db

MONDAY = "2027-09-06"  # week 10 of 2027-2028, which starts on Monday 2027-06-28


def _assignments(api, number=1):
    return reverse("api:assignments", args=["alpha", YEAR, number])


def test_assignments_name_residents_and_rotations_by_their_program_ids(client, api):
    body = client.get(_assignments(api), headers=api.auth("director")).json()
    first = body["results"][0]
    assert set(first) == {"resident", "week", "week_start", "rotation", "pinned"}
    external_ids = set(Resident.objects.values_list("external_id", flat=True))
    assert {row["resident"] for row in body["results"]} <= external_ids
    assert first["week"] == 0 and first["week_start"] == "2027-06-28"
    assert first["rotation"] in api.world.rotations


def test_assignments_are_paginated(client, api):
    total = Assignment.objects.filter(version=api.published).count()
    url = _assignments(api) + "?page_size=50"
    body = client.get(url, headers=api.auth("director")).json()
    assert body["count"] == total and len(body["results"]) == 50 and body["next"]
    seen = []
    while url:
        body = client.get(url, headers=api.auth("director")).json()
        seen += [(row["resident"], row["week"]) for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == total


def test_a_page_past_the_end_is_a_404(client, api):
    response = client.get(_assignments(api) + "?page=999", headers=api.auth("director"))
    assert response.status_code == 404


def test_assignments_filter_by_week_resident_and_rotation(client, api):
    resident = api.cast.resident.external_id
    by_week = client.get(_assignments(api) + f"?week={MONDAY}", headers=api.auth("director"))
    assert {row["week"] for row in by_week.json()["results"]} == {10}
    by_resident = client.get(_assignments(api) + f"?resident={resident}", headers=api.auth("chief"))
    assert {row["resident"] for row in by_resident.json()["results"]} == {resident}
    assert by_resident.json()["count"] == 52
    icu = client.get(_assignments(api) + "?rotation=ICU&page_size=1000", headers=api.auth("chief"))
    assert {row["rotation"] for row in icu.json()["results"]} == {"ICU"}


def test_a_bad_filter_is_a_400_naming_the_field(client, api):
    response = client.get(_assignments(api) + "?week=2031-01-01", headers=api.auth("director"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["status"] == 400
    assert body["fields"] == {"week": ["This day is outside the academic year."]}
    response = client.get(_assignments(api) + "?week=not-a-date", headers=api.auth("director"))
    assert response.status_code == 400 and list(response.json()["fields"]) == ["week"]


def test_a_resident_sees_only_their_own_rows(client, api):
    body = client.get(_assignments(api) + "?page_size=1000", headers=api.auth("resident_user"))
    assert {row["resident"] for row in body.json()["results"]} == {api.cast.resident.external_id}
    classmate = api.classmate.external_id
    theirs = client.get(
        _assignments(api) + f"?resident={classmate}", headers=api.auth("resident_user")
    )
    assert theirs.json()["count"] == 0


def test_faculty_see_every_residents_published_rows(client, api):
    body = client.get(_assignments(api) + "?page_size=1000", headers=api.auth("faculty_user"))
    assert len({row["resident"] for row in body.json()["results"]}) == len(api.world.residents)


def test_an_unchanged_read_is_a_304_with_the_etag(client, api):
    first = client.get(_assignments(api), headers=api.auth("director"))
    etag = first["ETag"]
    assert etag.startswith('"') and first.status_code == 200
    again = client.get(_assignments(api), headers={**api.auth("director"), "If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    other_page = client.get(
        _assignments(api) + "?page=2", headers={**api.auth("director"), "If-None-Match": etag}
    )
    assert other_page.status_code == 200 and other_page["ETag"] != etag


def test_a_changed_draft_gets_a_new_etag(client, api):
    url = _assignments(api, api.draft.number)
    before = client.get(url, headers=api.auth("chief"))["ETag"]
    Assignment.objects.create(
        version=api.draft, resident=api.cast.resident, week=0, rotation=api.world.rotations["ICU"]
    )
    after = client.get(url, headers={**api.auth("chief"), "If-None-Match": before})
    assert after.status_code == 200 and after["ETag"] != before


def test_on_service_lists_each_rotation_with_its_residents(client, api):
    url = reverse("api:on_service", args=["alpha", YEAR]) + f"?week={MONDAY}"
    body = client.get(url, headers=api.auth("faculty_user")).json()
    assert body["week_start"] == MONDAY and body["version"] == 1
    assert [s["rotation"] for s in body["services"]] == ["WARDS", "ICU", "GERI", "CLINIC", "VAC"]
    on = sorted(r["external_id"] for s in body["services"] for r in s["residents"])
    expected = Assignment.objects.filter(version=api.published, week=10)
    assert on == sorted(expected.values_list("resident__external_id", flat=True))


def test_on_service_needs_a_week_and_a_draft_needs_a_scheduler(client, api):
    url = reverse("api:on_service", args=["alpha", YEAR])
    missing = client.get(url, headers=api.auth("director"))
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["week"]
    draft = f"{url}?week={MONDAY}&version=2"
    assert client.get(draft, headers=api.auth("director")).status_code == 200
    assert client.get(draft, headers=api.auth("faculty_user")).status_code == 403


def test_findings_name_residents_by_external_id_and_filter_by_severity(client, api):
    url = reverse("api:findings", args=["alpha", YEAR])
    body = client.get(url + "?page_size=1000", headers=api.auth("chief")).json()
    assert body["count"] > 0
    ids = {row["resident"] for row in body["results"]} - {None}
    assert ids <= set(Resident.objects.values_list("external_id", flat=True))
    warnings = client.get(url + "?severity=warning", headers=api.auth("chief")).json()
    assert {row["severity"] for row in warnings["results"]} <= {"warning"}
    bad = client.get(url + "?severity=dreadful", headers=api.auth("chief"))
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["severity"]


def test_an_unknown_year_is_a_404(client, api):
    url = reverse("api:versions", args=["alpha", "1999-2000"])
    assert client.get(url, headers=api.auth("director")).status_code == 404


def test_the_roster_uses_external_ids_and_track_codes(client, api):
    body = client.get(reverse("api:residents", args=["alpha"]), headers=api.auth("faculty_user"))
    rows = body.json()["results"]
    assert all("id" not in row for row in rows)
    assert {row["track"] for row in rows} <= {"CAT", "PC", "PRE"}
    one = client.get(
        reverse("api:residents", args=["alpha"]) + "?pgy=9", headers=api.auth("director")
    )
    assert one.status_code == 400 and list(one.json()["fields"]) == ["pgy"]


def test_requirements_name_tracks_and_rotations_by_code(client, api):
    url = reverse("api:requirements", args=["alpha"])
    body = client.get(url, headers=api.auth("resident_user"))
    rows = body.json()["results"]
    assert {"rotations": ["ICU"], "all_tracks": True}.items() <= rows[0].items()
    assert rows[1]["tracks"] == ["PRE"]


def test_on_service_gives_the_pgy_of_the_versions_year(client, api):
    """After a roll-over a resident's PGY moves on; the year's schedule keeps theirs."""
    on = Assignment.objects.filter(version=api.published, week=10).select_related("resident")
    resident = on.first().resident
    stored = resident.version_rows.get(version=api.published).pgy
    Resident.objects.filter(pk=resident.pk).update(pgy=stored + 1)
    url = reverse("api:on_service", args=["alpha", YEAR]) + f"?week={MONDAY}"
    body = client.get(url, headers=api.auth("director")).json()
    (row,) = [
        r
        for s in body["services"]
        for r in s["residents"]
        if r["external_id"] == resident.external_id
    ]
    assert row["pgy"] == stored
