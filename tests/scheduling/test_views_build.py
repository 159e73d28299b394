"""Starting a build and following it: a build that died says why, a second one is refused
with a message, never a 500."""

import datetime

from django.urls import reverse
from django.utils import timezone

from scheduling.models import BuildJob

YEAR = "2027-2028"


def _silent_job(schedule, seconds: int) -> BuildJob:
    long_ago = timezone.now() - datetime.timedelta(seconds=seconds)
    return BuildJob.objects.create(
        schedule=schedule,
        status=BuildJob.Status.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        time_limit_s=60,
    )


def test_a_build_whose_worker_died_shows_why_on_its_page(client, built, two_programs, settings):
    settings.BUILD_STALE_AFTER_S = 60
    job = _silent_job(built.schedule, 120)
    client.force_login(two_programs.chief)
    url = reverse("scheduling:build", args=["alpha", YEAR])
    client.post(url, {"mode": "fresh", "time_limit_s": 5, "seed": 0})
    page = client.get(reverse("scheduling:job", args=["alpha", YEAR, job.pk])).content.decode()
    assert "Failed" in page
    assert "no heartbeat for 60 s" in page


def test_a_second_build_while_one_runs_is_refused_with_a_message(
    client, built, two_programs, settings
):
    settings.BUILD_STALE_AFTER_S = 60
    _silent_job(built.schedule, 1)
    client.force_login(two_programs.chief)
    url = reverse("scheduling:build", args=["alpha", YEAR])
    response = client.post(url, {"mode": "fresh", "time_limit_s": 5, "seed": 0}, follow=True)
    assert response.status_code == 200
    assert "already running" in response.content.decode()
    assert BuildJob.objects.filter(schedule=built.schedule).count() == 2
