"""The request pages through HTTP: the form with its preview, refusals re-rendered with the
reason, the queue with its previews and decisions, privacy of the leave category, the
navigation, and the queue's query count."""

import pytest
from django.urls import reverse

from programs.models import ResidentRequest, StaffingRule
from resident_requests.models import Swap
from resident_requests.services import request_submit
from scheduling.models import BuildJob
from tests.resident_requests.conftest import account_for, find_swap, week

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"resident_requests:{name}", args=["alpha", *args])


def _wards_shortfall_week(world) -> int:
    rows = world.rows()
    index = next(i for i, code in enumerate(rows[world.me.external_id]) if code == "WARDS")
    staffed = sum(1 for row in rows.values() if row[index] == "WARDS")
    StaffingRule.objects.filter(rotation__program=world.built.program).update(min_residents=staffed)
    return index


def _vacation_form(index, action, count=1):
    return {
        "kind": "vacation",
        "first_week": week(index).isoformat(),
        "week_count": count,
        "action": action,
    }


def test_the_preview_flags_a_staffing_shortfall_and_saves_nothing(client, world):
    index = _wards_shortfall_week(world)
    client.force_login(world.cast.resident_user)
    response = client.post(_url("new"), _vacation_form(index, "preview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-rule="staffing"' in html and "WARDS has" in html
    assert "Ambulatory balance" in html
    assert not ResidentRequest.objects.filter(status="pending").exists()
    response = client.post(_url("new"), _vacation_form(index, "submit"))
    assert response.status_code == 302
    assert ResidentRequest.objects.get(status="pending").weeks == [week(index).isoformat()]


def test_a_refused_request_is_shown_with_its_reason_and_nothing_is_saved(client, world):
    client.force_login(world.cast.resident_user)
    response = client.post(_url("new"), _vacation_form(8, "submit", count=4))
    assert response.status_code == 200
    assert "is outside the academic year 2027-2028" in response.content.decode()
    assert not ResidentRequest.objects.filter(status="pending").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "leave", "first_week": "2027-07-26", "week_count": 1},  # no category
        {"kind": "vacation", "first_week": "1999-01-04", "week_count": 1},  # not offered
        {"kind": "avoid", "first_week": "2027-07-26", "week_count": "many"},
        {"kind": "nonsense"},
    ],
)
def test_bad_input_re_renders_the_form_with_field_errors(client, world, data):
    client.force_login(world.cast.resident_user)
    response = client.post(_url("new"), data | {"action": "submit"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not ResidentRequest.objects.filter(status="pending").exists()


def test_the_leave_category_is_for_directors_only(client, world):
    request_submit(
        resident=world.me,
        kind="leave",
        leave_category="medical",
        weeks=[week(6)],
        by=world.cast.resident_user,
    )
    client.force_login(world.cast.chief)
    chief_sees = client.get(_url("queue")).content.decode()
    assert "Tiny Resident 01" in chief_sees and "Medical" not in chief_sees
    client.force_login(world.cast.director)
    assert 'class="leave-category">Medical' in client.get(_url("queue")).content.decode()


def test_a_resident_sees_only_their_own_requests(client, world):
    request_submit(resident=world.partner, kind="vacation", weeks=[week(6)], by=world.partner_user)
    client.force_login(world.cast.resident_user)
    html = client.get(_url("mine")).content.decode()
    assert html.count('class="list-group-item request-item"') == 1  # the bundle's vacation
    assert f"{week(6):%a %d %b %Y}" not in html and "Tiny Resident 02" not in html


def test_approving_in_the_queue_shows_the_conflict_and_offers_a_re_plan(
    client, world, django_capture_on_commit_callbacks
):
    index = _wards_shortfall_week(world)
    item = request_submit(
        resident=world.me, kind="vacation", weeks=[week(index)], by=world.cast.resident_user
    )
    client.force_login(world.cast.chief)
    response = client.post(
        _url("decide", item.pk), {"decision": "approve", "comment": ""}, follow=True
    )
    html = response.content.decode()
    assert f"working in week(s) {index + 1}" in html
    assert f"week {index + 1} on WARDS" in html
    assert _url("replan", item.pk) in html
    response = client.post(_url("replan", item.pk))
    job = BuildJob.objects.order_by("-pk").first()
    assert job.base_version == world.published
    # The minimal-change re-plan, not an ordinary re-solve: its job page leads to the diff.
    assert job.replan is True
    assert world.me.name in job.reason
    assert response["Location"].endswith(f"/jobs/{job.pk}/")


def test_a_bad_decision_is_a_message_not_an_error(client, world):
    item = request_submit(
        resident=world.me, kind="vacation", weeks=[week(6)], by=world.cast.resident_user
    )
    client.force_login(world.cast.chief)
    response = client.post(_url("decide", item.pk), {"decision": "decline"}, follow=True)
    assert response.status_code == 200
    assert "Say why the request is declined." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "pending"


def test_the_navigation_links_requests_and_counts_the_queue(client, world):
    request_submit(resident=world.me, kind="vacation", weeks=[week(6)], by=world.cast.resident_user)
    client.force_login(world.cast.resident_user)
    assert "My requests" in client.get(_url("mine")).content.decode()
    client.force_login(world.cast.chief)
    html = client.get(_url("queue")).content.decode()
    assert 'id="nav-pending-count">1<' in html


def test_a_swap_offered_accepted_and_approved_through_the_pages(client, world):
    partner, index = find_swap(world, allowed=True)
    client.force_login(world.cast.resident_user)
    form = {
        "partner": partner.pk,
        "first_week": week(index).isoformat(),
        "week_count": 1,
        "action": "preview",
    }
    assert "No hard rule breaks" in client.post(_url("swap_new"), form).content.decode()
    assert client.post(_url("swap_new"), form | {"action": "submit"}).status_code == 302
    swap = Swap.objects.get()
    client.force_login(account_for(partner))
    client.post(_url("swap_answer", swap.pk), {"answer": "accept"})
    client.force_login(world.cast.director)
    client.post(_url("swap_decide", swap.pk), {"decision": "approve", "comment": ""})
    swap.refresh_from_db()
    assert swap.status == Swap.Status.APPROVED and swap.result_version.status == "published"


def test_the_queue_takes_the_same_queries_for_one_or_many_items(
    client, world, django_assert_max_num_queries
):
    partner, index = find_swap(world, allowed=True)
    request_submit(resident=world.me, kind="vacation", weeks=[week(6)], by=world.cast.resident_user)
    client.force_login(world.cast.director)
    with django_assert_max_num_queries(35) as few:
        assert client.get(_url("queue")).status_code == 200
    others = [r for r in world.built.residents if r.pk != world.me.pk]
    for n, resident in enumerate(others[:3]):
        request_submit(
            resident=resident,
            kind="leave",
            leave_category="personal",
            weeks=[week(5 + n)],
            by=world.cast.director,
            on_behalf=True,
        )
    Swap.objects.create(
        program=world.built.program,
        schedule=world.built.schedule,
        offered_by=world.me,
        partner=partner,
        weeks=[index],
        status=Swap.Status.ACCEPTED,
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(_url("queue")).content.decode()
    assert html.count('class="card mb-3 queue-item"') == 5


def test_the_limits_page_saves_and_refuses_bad_blackout_weeks(client, world):
    client.force_login(world.cast.director)
    bad = {"vacation_weeks_per_year": 3, "notice_days": 7, "blackout": "2027-06-29"}
    response = client.post(_url("limits"), bad)
    assert response.status_code == 200
    assert "is not a Monday" in response.content.decode()
    good = bad | {"blackout": "2027-06-28, 2027-07-05"}
    assert client.post(_url("limits"), good).status_code == 302
    policy = world.built.program.request_policy
    policy.refresh_from_db()
    assert policy.blackout_weeks == ["2027-06-28", "2027-07-05"]
    assert (policy.vacation_weeks_per_year, policy.notice_days) == (3, 7)


def test_a_director_records_leave_for_a_resident(client, world):
    client.force_login(world.cast.director)
    form = {
        "resident": world.partner.pk,
        "kind": "leave",
        "leave_category": "parental",
        "first_week": week(6).isoformat(),
        "week_count": 2,
        "action": "submit",
    }
    assert client.post(_url("record"), form).status_code == 302
    recorded = ResidentRequest.objects.get(status="pending")
    assert recorded.resident == world.partner and recorded.on_behalf
    assert recorded.weeks == [week(6).isoformat(), week(7).isoformat()]
