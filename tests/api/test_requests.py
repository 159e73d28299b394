"""The requests endpoints: submit (refusals are 400s with the reason), the queue with its
previews and the leave category for directors only, and decisions."""

import pytest
from django.urls import reverse

from programs.models import ResidentRequest

pytestmark = pytest.mark.django_db


def _post(client, api, who, name, body, *args):
    url = reverse(f"api:{name}", args=["alpha", *args])
    return client.post(url, body, content_type="application/json", headers=api.auth(who))


def test_a_resident_submits_and_lists_their_request(client, api):
    response = _post(
        client,
        api,
        "resident_user",
        "request_submit",
        {"kind": "leave", "weeks": ["2027-08-02"], "leave_category": "medical"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert response.json()["leave_category"] == "medical"  # their own
    mine = client.get(
        reverse("api:my_requests", args=["alpha"]), headers=api.auth("resident_user")
    ).json()
    assert [r["id"] for r in mine["results"]] == [response.json()["id"]]


def test_a_request_outside_the_year_is_a_400_with_the_reason_and_nothing_is_saved(client, api):
    response = _post(
        client,
        api,
        "resident_user",
        "request_submit",
        {"kind": "vacation", "weeks": ["2031-01-06"]},
    )
    assert response.status_code == 400
    assert "outside the academic year" in str(response.json()["fields"])
    assert not ResidentRequest.objects.exists()


def test_the_queue_previews_and_hides_the_leave_category_from_chiefs(client, api):
    _post(
        client,
        api,
        "director",
        "request_submit",
        {
            "kind": "leave",
            "weeks": ["2027-08-02"],
            "leave_category": "parental",
            "resident": api.cast.resident.external_id,
        },
    )
    url = reverse("api:request_queue", args=["alpha"])
    seen = {
        who: client.get(url, headers=api.auth(who)).json()["results"][0]
        for who in ("director", "chief")
    }
    assert seen["director"]["leave_category"] == "parental"
    assert seen["chief"]["leave_category"] == ""
    assert seen["chief"]["preview"]["published"] is True
    assert seen["chief"]["preview"]["changes"][0]["after"] is None  # leave: not scheduled


def test_a_decision_is_recorded(client, api):
    created = _post(
        client,
        api,
        "resident_user",
        "request_submit",
        {"kind": "vacation", "weeks": ["2027-08-02"]},
    ).json()
    response = _post(
        client, api, "chief", "request_decision", {"decision": "approve"}, created["id"]
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = _post(client, api, "chief", "request_decision", {"decision": "approve"}, created["id"])
    assert again.status_code == 400
