"""The swap endpoints: a resident offers a swap, lists the swaps offered by and to them, the
partner answers, chiefs and directors read the agreed ones with their previews and decide.
Refusals are 400s in the one error shape, and nothing is saved."""

import pytest
from django.urls import reverse

from api.services import access_token_create
from programs.models import Resident, Role
from resident_requests.models import Swap
from scheduling.models import ScheduleVersion
from tests.api.conftest import free_swap
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post(client, api, headers, name, body, *args):
    url = reverse(f"api:{name}", args=["alpha", *args])
    return client.post(url, body, content_type="application/json", headers=headers)


def _mine(client, headers, direction=""):
    url = reverse("api:my_swaps", args=["alpha"]) + (f"?direction={direction}" if direction else "")
    return client.get(url, headers=headers)


def _partner_headers(api, external_id) -> dict:
    """A read-write token for the partner, who gets an account if they have none."""
    partner = Resident.objects.get(program=api.cast.program, external_id=external_id)
    if partner.user_id is None:
        user = UserFactory(email=partner.email)
        RoleFactory(user=user, program=api.cast.program, kind=Role.Kind.RESIDENT)
        Resident.objects.filter(pk=partner.pk).update(user=user)
        partner.refresh_from_db()
    token = access_token_create(user=partner.user, name="t", scope="write").secret
    return {"Authorization": f"Bearer {token}"}


def test_a_resident_offers_a_swap_and_finds_it_among_those_they_offered(client, api):
    body = free_swap(api)
    response = _post(client, api, api.auth("resident_user"), "swap_offer", body)
    assert response.status_code == 201, response.json()
    offered = response.json()
    assert offered["offered_by"] == api.cast.resident.external_id
    assert offered["partner"] == body["partner"]
    assert offered["weeks"] == body["weeks"] and offered["status"] == "offered"
    by_me = _mine(client, api.auth("resident_user"), "by_me").json()["results"]
    assert [s["id"] for s in by_me] == [offered["id"]]
    assert _mine(client, api.auth("resident_user"), "to_me").json()["results"] == []
    to_partner = _mine(client, _partner_headers(api, body["partner"]), "to_me").json()
    assert [s["id"] for s in to_partner["results"]] == [offered["id"]]


def test_an_unknown_direction_is_a_400_in_the_one_shape(client, api):
    response = _mine(client, api.auth("resident_user"), "sideways")
    assert response.status_code == 400
    assert response.json()["fields"] == {"direction": ["Choose to_me or by_me."]}


def test_a_swap_with_another_programs_resident_is_refused_and_nothing_saved(client, api):
    stranger = Resident.objects.filter(program=api.cast.other_program).first()
    body = {**free_swap(api), "partner": stranger.external_id if stranger else "NOBODY"}
    if (
        stranger
        and Resident.objects.filter(
            program=api.cast.program, external_id=stranger.external_id
        ).exists()
    ):
        body["partner"] = "NOBODY"
    response = _post(client, api, api.auth("resident_user"), "swap_offer", body)
    assert response.status_code == 400
    assert response.json()["fields"] == {"partner": ["No such resident in this program."]}
    assert not Swap.objects.exists()


def test_a_swap_in_weeks_outside_the_year_is_refused_with_the_reason(client, api):
    body = {**free_swap(api), "weeks": ["2031-01-06"]}
    response = _post(client, api, api.auth("resident_user"), "swap_offer", body)
    assert response.status_code == 400
    assert "outside the academic year" in str(response.json()["fields"])
    assert not Swap.objects.exists()


def test_offered_accepted_queued_and_approved_through_the_api(client, api):
    body = free_swap(api)
    offered = _post(client, api, api.auth("resident_user"), "swap_offer", body).json()
    partner = _partner_headers(api, body["partner"])
    # Only the partner answers: the offering resident may not accept their own offer.
    own = _post(
        client, api, api.auth("resident_user"), "swap_answer", {"answer": "accept"}, offered["id"]
    )
    assert own.status_code == 403 and own.json()["code"] == "permission_denied"
    answered = _post(client, api, partner, "swap_answer", {"answer": "accept"}, offered["id"])
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    queue = client.get(reverse("api:swap_queue", args=["alpha"]), headers=api.auth("chief"))
    [queued] = queue.json()["results"]
    assert queued["id"] == offered["id"] and queued["preview"]["changes"]
    # The API world's published year already breaks hard rules (its staffing is thin), so
    # publishing the swapped copy needs a director's written reason: a 400 with the reason,
    # and nothing is kept (the swapped copy is rolled back with the decision).
    versions = ScheduleVersion.objects.count()
    refused = _post(
        client, api, api.auth("director"), "swap_decision", {"decision": "approve"}, offered["id"]
    )
    assert refused.status_code == 400
    assert "hard rule" in refused.json()["fields"]["non_field_errors"][0]
    assert ScheduleVersion.objects.count() == versions
    assert Swap.objects.get(pk=offered["id"]).status == Swap.Status.ACCEPTED
    declined = _post(
        client,
        api,
        api.auth("director"),
        "swap_decision",
        {"decision": "decline", "comment": "Too thin on the wards"},
        offered["id"],
    )
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decision_comment"] == "Too thin on the wards"


def test_a_decline_without_a_comment_is_a_400_on_the_comment(client, api):
    body = free_swap(api)
    offered = _post(client, api, api.auth("resident_user"), "swap_offer", body).json()
    _post(
        client,
        api,
        _partner_headers(api, body["partner"]),
        "swap_answer",
        {"answer": "accept"},
        offered["id"],
    )
    response = _post(
        client, api, api.auth("chief"), "swap_decision", {"decision": "decline"}, offered["id"]
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["comment"]
    assert Swap.objects.get(pk=offered["id"]).status == Swap.Status.ACCEPTED
