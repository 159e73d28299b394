"""In a real browser: a director builds the schedule, edits a cell and sees the rule it
breaks, publishes; a resident then sees their rotations."""

import re

import pytest

from programs.models import Resident
from tests.e2e.conftest import sign_in
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.e2e


def test_director_builds_edits_publishes_and_resident_sees_it(browser_page, two_programs):
    built = make_built(two_programs)
    built.version.delete()  # start with no version: the director builds it
    page = browser_page
    sign_in(page, two_programs.director.email)
    page.goto("/p/alpha/schedule/2027-2028/")
    page.fill("#id_time_limit_s", "5")
    page.click("#build-button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/"))
    page.wait_for_selector("text=Stored as draft")
    page.click("text=Stored as draft >> a")
    page.wait_for_selector("#grid")
    assert page.inner_text("#violation-count") == "0"

    # Put T03 in clinic in one of their X weeks: the phase rule must light up.
    resident = Resident.objects.get(program=built.program, external_id="T03")
    cell = page.locator(f"td.cell[data-r='{resident.pk}'][data-y='0']").first
    week = int(cell.get_attribute("data-w"))
    cell.click()
    page.select_option("#cell-rotation", "CLINIC")
    page.click("#cell-save")
    page.wait_for_selector(f"#c-{resident.pk}-{week}.violation")
    assert int(page.inner_text("#violation-count")) >= 1
    assert "X-phase" in page.inner_text("#violations-panel") or "CLINIC" in page.inner_text(
        "#violations-panel"
    )

    # Put it back, then publish.
    page.click(f"#c-{resident.pk}-{week}")
    page.select_option("#cell-rotation", "WARDS")
    page.click("#cell-save")
    # A selector, not wait_for_function: the page's CSP forbids the eval that one needs.
    page.wait_for_selector(f"#c-{resident.pk}-{week}:not(.violation)")
    asked: list[str] = []  # the confirmation comes from static/js/app.js (data-confirm)
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#publish-button")  # the grid's link to the version page
    page.wait_for_selector("#publish-form")
    page.click("#publish-button")
    page.wait_for_selector("text=is published")
    assert asked and asked[0].startswith("Publish version")

    page.context.clear_cookies()
    sign_in(page, two_programs.resident_user.email)
    page.goto("/p/alpha/schedule/mine/")
    runs = page.locator("table.runs tbody tr")
    assert runs.count() >= 1
    assert page.locator(".timeline > div").count() == 10
