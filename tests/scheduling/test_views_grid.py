"""The grid and its actions, tried by builders, other insiders, outsiders and visitors."""

import io
import json

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from scheduling.models import BuildJob, ScheduleVersion
from scheduling.services.versions import version_publish
from tests.scheduling.conftest import make_built

YEAR = "2027-2028"


def _pages(v):
    return [
        reverse("scheduling:index", args=["alpha"]),
        reverse("scheduling:grid", args=["alpha", YEAR]),
        reverse("scheduling:compare", args=["alpha", YEAR]),
        reverse("scheduling:coverage", args=["alpha", YEAR]),
        reverse("scheduling:export", args=["alpha", YEAR, v, "json"]),
    ]


def test_builders_open_every_schedule_page(client, built, two_programs):
    for user in (two_programs.director, two_programs.chief):
        client.force_login(user)
        for url in _pages(built.version.number):
            assert client.get(url).status_code == 200, url


def test_faculty_and_residents_may_not_open_the_builders_pages(client, built, two_programs):
    for user in (two_programs.faculty_user, two_programs.resident_user):
        client.force_login(user)
        for url in _pages(built.version.number):
            assert client.get(url).status_code == 403, url


def test_outsiders_see_nothing(client, built, two_programs):
    client.force_login(two_programs.other_director)
    for url in _pages(built.version.number):
        assert client.get(url).status_code == 404, url


def test_visitors_are_sent_to_sign_in(client, built):
    for url in _pages(built.version.number):
        assert client.get(url).status_code == 302, url


def test_the_grid_shows_every_resident_and_marks_no_rule_broken(client, built, two_programs):
    client.force_login(two_programs.director)
    page = client.get(reverse("scheduling:grid", args=["alpha", YEAR])).content.decode()
    for resident in built.residents:
        assert resident.name in page
    assert 'id="violation-count">0<' in page
    assert 'class="cell violation' not in page


def test_a_cell_edit_answers_the_new_cell_and_the_rule_checks(client, built, two_programs):
    client.force_login(two_programs.chief)
    resident = built.residents[0]
    url = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    response = client.post(url, {"resident": resident.pk, "week": 0, "rotation": ""})
    assert response.status_code == 200
    payload = response.json()
    assert f'id="c-{resident.pk}-0"' in payload["cell"]
    assert payload["violations"] >= 1
    assert f"c-{resident.pk}-0" in payload["flagged"]["cells"]


@pytest.mark.parametrize(
    "data",
    [
        {"resident": "x", "week": 0, "rotation": "WARDS"},
        {"resident": 1, "week": 99, "rotation": "WARDS"},
        {"week": 0, "rotation": "WARDS"},
    ],
)
def test_bad_cell_edits_get_a_400_with_details(client, built, two_programs, data):
    client.force_login(two_programs.director)
    url = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    response = client.post(url, data)
    assert response.status_code == 400
    assert json.loads(response.content)


def test_unknown_rotations_and_other_programs_residents_are_refused(client, built, two_programs):
    client.force_login(two_programs.director)
    url = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    own = built.residents[0].pk
    assert client.post(url, {"resident": own, "week": 0, "rotation": "NOPE"}).status_code == 400
    other = two_programs.other_resident.pk
    assert client.post(url, {"resident": other, "week": 0, "rotation": "WARDS"}).status_code == 400


def test_editing_a_published_version_is_refused(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.director)
    url = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    response = client.post(url, {"resident": built.residents[0].pk, "week": 0, "rotation": "VAC"})
    assert response.status_code == 400
    assert "immutable" in response.content.decode()


def test_residents_cannot_edit_cells(client, built, two_programs):
    client.force_login(two_programs.resident_user)
    url = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    response = client.post(url, {"resident": built.residents[0].pk, "week": 0, "rotation": ""})
    assert response.status_code == 403


def test_publishing_from_the_grid(client, built, two_programs):
    client.force_login(two_programs.director)
    url = reverse("scheduling:publish", args=["alpha", YEAR, built.version.number])
    assert client.post(url).status_code == 302
    built.version.refresh_from_db()
    assert built.version.status == ScheduleVersion.Status.PUBLISHED


def test_starting_a_build_runs_it_and_shows_its_progress(
    client, built, two_programs, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.chief)
    url = reverse("scheduling:build", args=["alpha", YEAR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"mode": "fresh", "time_limit_s": 5, "seed": 3})
    job = BuildJob.objects.filter(schedule=built.schedule).latest("created_at")
    assert response["Location"] == reverse("scheduling:job", args=["alpha", YEAR, job.pk])
    assert job.status == BuildJob.Status.SUCCEEDED
    status = client.get(reverse("scheduling:job_status", args=["alpha", YEAR, job.pk]))
    assert status.status_code == 200 and "HX-Redirect" in status


def test_a_bad_build_request_is_explained_not_started(client, built, two_programs):
    client.force_login(two_programs.chief)
    url = reverse("scheduling:build", args=["alpha", YEAR])
    response = client.post(url, {"mode": "fresh", "time_limit_s": 0, "seed": 0}, follow=True)
    assert "time_limit_s" in response.content.decode()
    assert BuildJob.objects.filter(schedule=built.schedule).count() == 1


def test_exports_in_every_format(client, built, two_programs):
    client.force_login(two_programs.director)
    n = built.version.number
    url = lambda fmt: reverse("scheduling:export", args=["alpha", YEAR, n, fmt])  # noqa: E731
    document = client.get(url("json")).json()
    assert document["format"] == "residency-schedule/1" and len(document["assignments"]) == 50
    csv_text = client.get(url("csv")).content.decode()
    assert csv_text.splitlines()[0].startswith("resident,name,2027-06-28")
    book = load_workbook(io.BytesIO(client.get(url("xlsx")).content))
    assert book.active.max_row == 6
    calendar = Calendar.from_ical(client.get(url("ics")).content)
    assert calendar.walk("VEVENT")
    assert client.get(url("pdf")).status_code == 404


def test_the_grid_runs_a_fixed_number_of_queries(
    client, two_programs, django_assert_max_num_queries
):
    built = make_built(two_programs, residents=5)
    client.force_login(two_programs.director)
    url = reverse("scheduling:grid", args=["alpha", YEAR])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    built.version.delete()
    make_built(two_programs, residents=40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
