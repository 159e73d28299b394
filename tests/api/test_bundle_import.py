"""Importing a bundle over the API: directors only, all or nothing, every problem reported
in the one error shape by its JSON path, and the import recorded in the program's history."""

import json

import pytest
from django.urls import reverse

from history.models import Event
from programs.bundle import bundle_json
from programs.models import Resident

pytestmark = pytest.mark.django_db


def _post(client, api, body, who="director", query=""):
    url = reverse("api:bundle_import", args=["alpha"]) + query
    return client.post(url, body, content_type="application/json", headers=api.auth(who))


def _bundle(api) -> dict:
    return json.loads(bundle_json(program=api.cast.program))


def test_a_director_imports_a_changed_bundle_and_it_is_in_the_history(client, api):
    bundle = _bundle(api)
    bundle["residents"][0]["name"] = "Renamed Resident"
    response = _post(client, api, bundle)
    assert response.status_code == 200, response.json()
    assert len(response.json()["kinds"]["residents"]["updated"]) == 1
    assert not response.json()["dry_run"]
    external_id = bundle["residents"][0]["id"]
    assert Resident.objects.get(external_id=external_id).name == "Renamed Resident"
    event = Event.objects.get(kind=Event.Kind.IMPORT)
    assert event.actor == api.cast.director
    assert event.after["residents"]["updated"] == 1


def test_a_dry_run_saves_nothing(client, api):
    bundle = _bundle(api)
    bundle["residents"][0]["name"] = "Renamed Resident"
    response = _post(client, api, bundle, query="?dry_run=true")
    assert response.status_code == 200 and response.json()["dry_run"]
    assert response.json()["kinds"]["residents"]["updated"]
    assert not Resident.objects.filter(name="Renamed Resident").exists()
    assert not Event.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_saved(client, api):
    bundle = _bundle(api)
    bundle["residents"][0]["name"] = "Renamed Resident"
    bundle["residents"][1]["pgy"] = 9
    bundle["residents"][2]["track"] = "NOPE"
    response = _post(client, api, bundle)
    assert response.status_code == 400
    error = response.json()
    assert set(error) == {"status", "code", "detail", "fields"} and error["code"] == "invalid"
    assert {"$.residents[1].pgy", "$.residents[2].track"} <= set(error["fields"])
    assert not Resident.objects.filter(name="Renamed Resident").exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("body", ["{nope", "[]", '"text"'])
def test_a_body_that_is_no_bundle_is_a_400(client, api, body):
    response = _post(client, api, body)
    assert response.status_code == 400 and response.json()["status"] == 400


def test_a_bundle_of_another_program_is_refused(client, api):
    bundle = _bundle(api)
    bundle["program"]["slug"] = "beta"
    response = _post(client, api, bundle)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["$.program.slug"]


def test_only_directors_import(client, api):
    assert _post(client, api, _bundle(api), who="chief").status_code == 403
    assert _post(client, api, _bundle(api), who="other_director").status_code == 404
