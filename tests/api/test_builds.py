"""Starting a build over the API: the page's service and Need, 202 with the job, its status
at the Location given, and bad input as a 400 in the one error shape (never a 500)."""

import pytest
from django.urls import reverse

from scheduling.models import BuildJob
from tests.api.conftest import YEAR

pytestmark = pytest.mark.django_db


def _start(client, api, body, who="chief"):
    return client.post(
        reverse("api:builds", args=["alpha", YEAR]),
        body,
        content_type="application/json",
        headers=api.auth(who),
    )


def test_a_chief_starts_a_build_and_follows_it(client, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = _start(client, api, {"time_limit_s": 7, "seed": 3})
    assert response.status_code == 202
    assert len(queued) == 1  # the solver task, sent once the job row is committed
    job = BuildJob.objects.get(pk=response.json()["id"])
    assert (job.time_limit_s, job.seed, job.requested_by) == (7, 3, api.cast.chief)
    assert response.json()["status"] == "queued"
    status = client.get(response["Location"], headers=api.auth("chief"))
    assert status.status_code == 200 and status.json()["id"] == job.pk


def test_a_resolve_starts_from_the_working_version(client, api):
    response = _start(client, api, {"time_limit_s": 5, "mode": "resolve"})
    assert response.status_code == 202
    assert response.json()["base_version"] == api.draft.number


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "time_limit_s"),
        ({"time_limit_s": 0}, "time_limit_s"),
        ({"time_limit_s": 601}, "time_limit_s"),
        ({"time_limit_s": "soon"}, "time_limit_s"),
        ({"time_limit_s": 5, "mode": "magic"}, "mode"),
        ({"time_limit_s": 5, "seed": -1}, "seed"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, api, body, field):
    response = _start(client, api, body)
    assert response.status_code == 400
    error = response.json()
    assert set(error) == {"status", "code", "detail", "fields"}
    assert error["code"] == "invalid" and list(error["fields"]) == [field]
    assert not BuildJob.objects.exclude(pk=api.job.pk).exists()


def test_a_body_that_is_not_json_is_a_400(client, api):
    response = client.post(
        reverse("api:builds", args=["alpha", YEAR]),
        "{nope",
        content_type="application/json",
        headers=api.auth("chief"),
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_a_second_build_while_one_runs_is_a_400_from_the_service(client, api):
    assert _start(client, api, {"time_limit_s": 5}).status_code == 202
    again = _start(client, api, {"time_limit_s": 5})
    assert again.status_code == 400
    assert again.json()["fields"] == {
        "non_field_errors": [
            "A build of this schedule is already running; wait for it or cancel it."
        ]
    }


def test_a_build_of_another_year_is_not_found(client, api):
    other = BuildJob.objects.create(schedule=api.world.schedules[0])
    url = reverse("api:build", args=["alpha", "2099-2100", other.pk])
    assert client.get(url, headers=api.auth("chief")).status_code == 404


def test_builds_are_listed_newest_first_and_filter_by_status(client, api):
    queued = BuildJob.objects.create(schedule=api.world.schedules[0])
    url = reverse("api:builds", args=["alpha", YEAR])
    body = client.get(url, headers=api.auth("chief")).json()
    assert [job["id"] for job in body["results"]] == [queued.pk, api.job.pk]
    assert body["results"][1]["result_version"] == api.draft.number
    only = client.get(url, {"status": "succeeded"}, headers=api.auth("chief")).json()
    assert [job["id"] for job in only["results"]] == [api.job.pk]
    bad = client.get(url, {"status": "nearly"}, headers=api.auth("chief"))
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["status"]


def test_a_queued_build_is_cancelled(client, api):
    queued = BuildJob.objects.create(schedule=api.world.schedules[0])
    url = reverse("api:build_cancel", args=["alpha", YEAR, queued.pk])
    response = client.post(url, headers=api.auth("chief"))
    assert response.status_code == 202 and response.json()["status"] == "cancelled"
    queued.refresh_from_db()
    assert queued.cancel_requested and queued.status == BuildJob.Status.CANCELLED


def test_a_running_build_is_asked_to_stop(client, api):
    running = BuildJob.objects.create(
        schedule=api.world.schedules[0], status=BuildJob.Status.RUNNING
    )
    url = reverse("api:build_cancel", args=["alpha", YEAR, running.pk])
    assert client.post(url, headers=api.auth("director")).status_code == 202
    running.refresh_from_db()
    # The solver stops at its next heartbeat and keeps the best schedule found so far.
    assert running.cancel_requested and running.status == BuildJob.Status.RUNNING


def test_a_finished_build_cannot_be_cancelled(client, api):
    url = reverse("api:build_cancel", args=["alpha", YEAR, api.job.pk])
    response = client.post(url, headers=api.auth("chief"))
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["This build has already finished (succeeded)."]
    }
