"""Compliance runs over the API, and the findings of any one of them."""

import pytest
from django.urls import reverse

from compliance.models import ComplianceRun
from compliance.services import compliance_run_create
from tests.api.conftest import AS_OF, YEAR

pytestmark = pytest.mark.django_db


def test_runs_are_listed_newest_first_with_their_counts(client, api):
    later = compliance_run_create(schedule=api.world.schedules[0], trigger="manual", as_of=AS_OF)
    url = reverse("api:compliance_runs", args=["alpha", YEAR])
    body = client.get(url, headers=api.auth("chief")).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["id"] == later.pk and first["trigger"] == "manual"
    assert set(first) >= {"critical_count", "warning_count", "info_count", "version"}
    manual = client.get(url, {"trigger": "manual"}, headers=api.auth("chief")).json()
    assert [run["id"] for run in manual["results"]] == [later.pk]


def test_findings_of_a_chosen_run(client, api):
    run = ComplianceRun.objects.get()
    url = reverse("api:findings", args=["alpha", YEAR])
    chosen = client.get(url, {"run": run.pk}, headers=api.auth("chief")).json()
    latest = client.get(url, headers=api.auth("chief")).json()
    assert chosen == latest and chosen["count"] == run.findings.count()


def test_another_programs_run_is_not_found(client, api, two_programs):
    run = ComplianceRun.objects.get()
    url = reverse("api:findings", args=["alpha", YEAR])
    assert client.get(url, {"run": run.pk + 1000}, headers=api.auth("chief")).status_code == 404
