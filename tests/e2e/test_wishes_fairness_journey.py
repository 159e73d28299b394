"""In a real browser: a resident asks why they did not get a wish and reads the answer; the
director opens the fairness page of the version and its charts draw (CSP-clean)."""

import pytest

from scheduling.services.versions import version_publish
from tests.e2e.conftest import sign_in
from tests.scheduling import conftest
from tests.scheduling.conftest import make_built
from tests.scheduling.test_wish_questions import _wishful_bundle

pytestmark = pytest.mark.e2e


def test_a_resident_asks_about_a_wish_and_the_director_sees_fairness(
    browser_page, two_programs, monkeypatch
):
    monkeypatch.setattr(conftest, "tiny_bundle", _wishful_bundle)
    built = make_built(two_programs)
    version_publish(version=built.version, by=two_programs.director)
    page = browser_page
    sign_in(page, two_programs.resident_user.email)
    page.goto("/p/alpha/schedule/mine/")
    page.click("text=My wishes: why didn't I get one?")
    page.wait_for_selector("#wish-list")
    assert "not met" in page.inner_text("#wish-0")
    page.click("#wish-0 >> text=Why didn't I get it?")  # the job runs; the page shows it
    page.wait_for_selector("#wish-0 .wish-answer >> text=cannot be granted")
    assert "WARDS" in page.inner_text("#wish-0 .wish-answer")

    page.context.clear_cookies()
    sign_in(page, two_programs.director.email)
    page.goto("/p/alpha/schedule/2027-2028/?v=1")
    page.click("text=Fairness")
    page.wait_for_selector("#fairness-table")
    page.wait_for_selector("#fairness-charts canvas")
    page.wait_for_timeout(300)
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('#fairness-charts canvas')].map(
            (c) => window.Chart && Chart.getChart(c) ? Chart.getChart(c).data.labels.length : 0)"""
    )
    assert len(drawn) == 4 and all(n >= 1 for n in drawn)
