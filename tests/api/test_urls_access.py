"""Every API URL, tried with each role's token, another program's director and no token.

A new URL in `api/urls.py` fails `test_every_url_is_covered` until it is listed here with
its row in `MATRIX`. The rules are the pages' (programs.access, scheduling.access): an
outsider gets a 404, a member whose role is too small a 403, a call without a token a 401;
the roster (residents, faculty, who is on service) is for everyone but residents; drafts,
builds and compliance findings are for managers and chief residents.
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse

from api import urls
from tests.api.conftest import YEAR, free_swap

pytestmark = pytest.mark.django_db

ROLES = ("director", "chief", "faculty_user", "resident_user")
BUILD = {"time_limit_s": 5}
ASK = {"kind": "vacation", "weeks": ["2027-07-12"]}
DECLINE = {"decision": "decline", "comment": "Short-staffed"}
MEETING = {
    "occurred_on": "2026-11-16",
    "duration_minutes": 50,
    "format": "phone",
    "kind": "regular",
    "topics": ["career planning"],
    "goals_discussed": "Fellowship timeline",
}


def _pending(api):
    """A pending vacation request of the cast's resident, to decide."""
    from programs.models import ResidentRequest

    return ResidentRequest.objects.create(
        resident=api.cast.resident, kind="vacation", status="pending", weeks=["2027-07-19"]
    )


def _swap(api, status):
    """A swap between the cast's resident (the partner) and a classmate, in `status`."""
    from resident_requests.models import Swap

    return Swap.objects.create(
        program=api.cast.program,
        schedule=api.world.schedules[0],
        offered_by=api.classmate,
        partner=api.cast.resident,
        weeks=[12],
        status=status,
    )


def _past_meeting(api) -> list:
    """The cast's meeting moved into the past (the API world's year lies ahead of today), so
    that its mentor may change it."""
    import datetime

    from mentoring.models import Meeting, Mentorship

    Mentorship.objects.filter(pk=api.mentorship.pk).update(started_on=datetime.date(2026, 1, 5))
    Meeting.objects.filter(pk=api.meeting.pk).update(occurred_on=datetime.date(2026, 11, 2))
    return ["alpha", api.mentorship.pk, api.meeting.pk]


# name -> (method, arguments builder, JSON body)
CASES = {
    "program_list": ("get", lambda a: [], None),
    "program": ("get", lambda a: ["alpha"], None),
    "tracks": ("get", lambda a: ["alpha"], None),
    "rotations": ("get", lambda a: ["alpha"], None),
    "requirements": ("get", lambda a: ["alpha"], None),
    "academic_years": ("get", lambda a: ["alpha"], None),
    "residents": ("get", lambda a: ["alpha"], None),
    "resident": ("get", lambda a: ["alpha", a.cast.resident.external_id], None),
    "faculty": ("get", lambda a: ["alpha"], None),
    "versions": ("get", lambda a: ["alpha", YEAR], None),
    "assignments": ("get", lambda a: ["alpha", YEAR, 1], None),
    "on_service": ("get", lambda a: ["alpha", YEAR], None),
    "builds": ("post", lambda a: ["alpha", YEAR], BUILD),
    "build": ("get", lambda a: ["alpha", YEAR, a.job.pk], None),
    "build_cancel": ("post", lambda a: ["alpha", YEAR, a.job.pk], None),
    "findings": ("get", lambda a: ["alpha", YEAR], None),
    "compliance_runs": ("get", lambda a: ["alpha", YEAR], None),
    "bundle_import": ("post", lambda a: ["alpha"], lambda a: json.loads(_bundle(a))),
    "mentorships": ("get", lambda a: ["alpha"], None),
    "meetings": ("get", lambda a: ["alpha", a.mentorship.pk], None),
    "meeting": ("put", _past_meeting, MEETING),
    "request_submit": ("post", lambda a: ["alpha"], ASK),
    "my_requests": ("get", lambda a: ["alpha"], None),
    "request_queue": ("get", lambda a: ["alpha"], None),
    "request_decision": ("post", lambda a: ["alpha", _pending(a).pk], DECLINE),
    "swap_offer": ("post", lambda a: ["alpha"], free_swap),
    "my_swaps": ("get", lambda a: ["alpha"], None),
    "swap_queue": ("get", lambda a: ["alpha"], None),
    "swap_answer": ("post", lambda a: ["alpha", _swap(a, "offered").pk], {"answer": "refuse"}),
    "swap_decision": ("post", lambda a: ["alpha", _swap(a, "accepted").pk], DECLINE),
}
QUERY = {"on_service": "?week=2027-09-06"}
# Not resources: the schema and its docs are public, tested in test_docs.py; `not_found`
# answers every other path under /api/ with a JSON 404.
NOT_RESOURCES = {"schema", "docs", "not_found"}

# What each role of alpha gets: (director, chief, faculty, resident).
MATRIX = {
    "program_list": (200, 200, 200, 200),
    "program": (200, 200, 200, 200),
    "tracks": (200, 200, 200, 200),
    "rotations": (200, 200, 200, 200),
    "requirements": (200, 200, 200, 200),
    "academic_years": (200, 200, 200, 200),
    "residents": (200, 200, 200, 403),
    "resident": (200, 200, 200, 200),
    "faculty": (200, 200, 200, 403),
    "versions": (200, 200, 200, 200),
    "assignments": (200, 200, 200, 200),
    "on_service": (200, 200, 200, 403),
    "builds": (202, 202, 403, 403),
    "build": (200, 200, 403, 403),
    # The job is finished: a scheduler's cancel is a 400 (tested with a running one in
    # test_builds.py).
    "build_cancel": (400, 400, 403, 403),
    "findings": (200, 200, 403, 403),
    "compliance_runs": (200, 200, 403, 403),
    "bundle_import": (200, 403, 403, 403),
    "mentorships": (200, 200, 200, 200),
    # The chief is neither its mentor, its resident nor a manager: as on the pages, a 404.
    "meetings": (200, 404, 200, 200),
    # Only the mentor changes a meeting; a manager or the resident sees it and gets a 403.
    "meeting": (403, 404, 200, 403),
    # Residents ask for themselves; a director must name the resident (400 without one);
    # chiefs and faculty do not ask.
    "request_submit": (400, 403, 403, 201),
    "my_requests": (200, 200, 200, 200),
    "request_queue": (200, 200, 403, 403),
    "request_decision": (200, 200, 403, 403),
    # Only residents offer swaps, and only the partner answers one; schedulers decide.
    "swap_offer": (403, 403, 403, 201),
    "my_swaps": (200, 200, 200, 200),
    "swap_queue": (200, 200, 403, 403),
    "swap_answer": (403, 403, 403, 200),
    "swap_decision": (200, 200, 403, 403),
}


def _bundle(api) -> str:
    from programs.bundle import bundle_json

    return bundle_json(program=api.cast.program)


def test_every_url_is_covered():
    names = {p.name for p in urls.urlpatterns}
    assert names - NOT_RESOURCES == set(CASES) == set(MATRIX)


def _url(name, api, slug=None):
    args = CASES[name][1](api)
    if slug and args:
        args[0] = slug
    return reverse(f"api:{name}", args=args) + QUERY.get(name, "")


def call(client, api, who, name, slug=None, **headers) -> int:
    """The status `who` (None: no token) gets; nothing the call wrote stays."""
    method, _args, body = CASES[name]
    if callable(body):
        body = body(api)
    if who is not None:
        headers.update(api.auth(who))
    with transaction.atomic():
        response = getattr(client, method)(
            _url(name, api, slug), body, content_type="application/json", headers=headers
        )
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_gets_what_the_rules_intend(client, api, name):
    assert {who: call(client, api, who, name) for who in ROLES} == dict(
        zip(ROLES, MATRIX[name], strict=True)
    )


@pytest.mark.parametrize("name", sorted(set(CASES) - {"program_list"}))
def test_another_programs_director_gets_a_404(client, api, name):
    assert call(client, api, "other_director", name) == 404
    if name in {
        "resident",
        "build",
        "build_cancel",
        "meetings",
        "meeting",
        "request_decision",
        "swap_answer",
        "swap_decision",
    }:
        # Alpha's rows under the director's own program's address are not found either.
        assert call(client, api, "other_director", name, slug="beta") == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_token_is_a_401(client, api, name):
    assert call(client, api, None, name) == 401


@pytest.mark.parametrize("name", ["residents", "assignments", "builds"])
def test_a_signed_in_browser_session_acts_as_its_user(client, api, name):
    client.force_login(api.cast.director)
    assert call(client, api, None, name) in (200, 202)
    client.force_login(api.cast.other_director)
    assert call(client, api, None, name) == 404


def test_the_program_list_names_only_the_callers_programs(client, api):
    body = client.get(reverse("api:program_list"), headers=api.auth("other_director")).json()
    assert [p["slug"] for p in body["results"]] == ["beta"]


def test_a_classmates_record_is_for_the_roster_side_only(client, api):
    url = reverse("api:resident", args=["alpha", api.classmate.external_id])
    statuses = [client.get(url, headers=api.auth(who)).status_code for who in ROLES]
    assert statuses == [200, 200, 200, 403]


def test_a_draft_is_for_schedulers_only(client, api):
    url = reverse("api:assignments", args=["alpha", YEAR, api.draft.number])
    statuses = [client.get(url, headers=api.auth(who)).status_code for who in ROLES]
    assert statuses == [200, 200, 403, 403]


def test_versions_list_drafts_only_to_schedulers(client, api):
    url = reverse("api:versions", args=["alpha", YEAR])
    seen = {
        who: [v["number"] for v in client.get(url, headers=api.auth(who)).json()["results"]]
        for who in ROLES
    }
    assert seen == {"director": [2, 1], "chief": [2, 1], "faculty_user": [1], "resident_user": [1]}


def test_unknown_paths_under_api_are_json_404s(client, api):
    for path in ["/api/v1/nothing/", "/api/v1/programs/alpha/schedules/-1/versions/x/"]:
        response = client.get(path, headers=api.auth("director"))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
