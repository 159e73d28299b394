"""In a real browser: a resident asks for a vacation week on a phone, sees the preview flag
a staffing shortfall and submits; a chief approves it in the queue and the resident is
e-mailed. A swap offered by one resident and accepted by another, then approved, changes
exactly those cells in a new published version."""

import re

import pytest

from programs.models import ResidentRequest, StaffingRule
from resident_requests.models import Swap
from scheduling.models import Schedule
from scheduling.selectors import version_diff
from tests.e2e.conftest import sign_in
from tests.resident_requests.conftest import account_for, find_swap, make_world, week
from tests.support.mail import record_queued_emails

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_vacation_asked_on_a_phone_is_previewed_submitted_and_approved(
    browser_page, two_programs, monkeypatch
):
    world = make_world(two_programs)
    rows = world.rows()
    index = next(i for i, code in enumerate(rows["T01"]) if code == "WARDS")
    staffed = sum(1 for row in rows.values() if row[index] == "WARDS")
    StaffingRule.objects.filter(rotation__program=world.built.program).update(min_residents=staffed)
    queued = record_queued_emails(monkeypatch)
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, two_programs.resident_user.email)
    page.goto("/p/alpha/requests/")
    page.click("text=New request")
    page.select_option("#id_kind", "vacation")
    page.select_option("#id_first_week", week(index).isoformat())
    page.fill("#id_week_count", "1")
    page.click("button[value=preview]")
    page.wait_for_selector("#preview")
    assert page.locator(".preview-breaks li[data-rule=staffing]").count() == 1
    assert "WARDS" in page.inner_text(".preview-breaks")
    # Nothing wider than the phone: the form fits.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/p/alpha/requests/$"))
    assert page.locator(".request-item[data-status=pending]").count() == 1

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, two_programs.chief.email)
    page.goto("/p/alpha/")
    assert page.inner_text("#nav-pending-count").split()[0] == "1"
    page.click("#nav-requests-queue")
    item = page.locator(".queue-item").first
    assert item.locator(".preview-breaks li[data-rule=staffing]").count() == 1
    item.locator("textarea[name=comment]").fill("Covered by the float")
    item.locator("button[value=approve]").click()
    page.wait_for_selector("text=approved")
    request = ResidentRequest.objects.get(
        resident=world.me, status="approved", on_behalf=False, requested_by__isnull=False
    )
    assert request.decided_by == two_programs.chief
    mails = [m for m in queued if m["subject"] == "Your request was approved"]
    assert [m["to"] for m in mails] == [[world.me.email]]
    assert "Covered by the float" in mails[0]["body"]
    # The conflict with the published schedule is shown, with a re-plan offered.
    assert page.locator("#decided .conflicts").count() == 1
    assert page.locator("#decided button:has-text('Re-plan')").count() == 1


def test_a_swap_offered_accepted_and_approved_changes_exactly_those_cells(
    browser_page, two_programs
):
    world = make_world(two_programs)
    partner, index = find_swap(world, allowed=True)
    partner_user = account_for(partner)
    before = world.rows()
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, two_programs.resident_user.email)
    page.goto("/p/alpha/requests/swaps/new/")
    page.select_option("#id_partner", str(partner.pk))
    page.select_option("#id_first_week", week(index).isoformat())
    page.click("button[value=preview]")
    page.wait_for_selector("#preview .preview-ok")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/p/alpha/requests/$"))
    assert page.locator(".swap-item[data-status=offered]").count() == 1

    page.context.clear_cookies()
    sign_in(page, partner_user.email)
    page.goto("/p/alpha/requests/")
    page.click(".swap-item button[value=accept]")
    page.wait_for_selector(".swap-item[data-status=accepted]")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, two_programs.director.email)
    page.goto("/p/alpha/requests/queue/")
    swap_card = page.locator(".queue-item[data-kind=swap]")
    assert swap_card.locator(".preview-ok").count() == 1
    swap_card.locator("button[value=approve]").click()
    page.wait_for_selector("text=Published as version 2")

    swap = Swap.objects.get()
    assert swap.status == Swap.Status.APPROVED
    schedule = Schedule.objects.get(pk=world.built.schedule.pk)
    assert schedule.published_version == swap.result_version
    diff = version_diff(old=world.published, new=schedule.published_version)
    a, b = world.me.external_id, partner.external_id
    assert diff == {
        a: [(index, before[a][index], before[b][index])],
        b: [(index, before[b][index], before[a][index])],
    }
