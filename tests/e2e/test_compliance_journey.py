"""A program director reads the compliance dashboard, then one resident's balance charts."""

import datetime

import pytest

from compliance.services import compliance_run_create
from tests.e2e.conftest import sign_in
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.e2e

AS_OF = datetime.date(2027, 9, 6)


def chart_drawn(page, canvas_id: str) -> dict:
    """The Chart.js chart on the canvas, as {datasets, points, width}: proof it rendered."""
    page.wait_for_function(
        "id => window.Chart && Chart.getChart(document.getElementById(id))", arg=canvas_id
    )
    return page.evaluate(
        """id => {
            const canvas = document.getElementById(id);
            const chart = Chart.getChart(canvas);
            return {
                datasets: chart.data.datasets.length,
                points: chart.data.datasets.reduce((n, d) => n + d.data.length, 0),
                width: canvas.width,
            };
        }""",
        canvas_id,
    )


def test_a_director_opens_the_dashboard_and_a_residents_balance(browser_page, two_programs):
    world = build_world(
        program=two_programs.program, director=two_programs.director, residents=8, years=2
    )
    for trigger in ("nightly", "edit"):
        run = compliance_run_create(schedule=world.schedules[-1], trigger=trigger, as_of=AS_OF)
    page = browser_page
    sign_in(page, two_programs.director.email)

    page.goto("/p/alpha/compliance/?year=2027-2028")
    assert page.inner_text("#count-critical") == str(run.critical_count)
    trend = chart_drawn(page, "trend-chart")
    assert trend["datasets"] == 3 and trend["points"] == 6 and trend["width"] > 0
    assert chart_drawn(page, "rules-chart")["points"] > 0
    assert page.locator("#findings-table tbody tr").count() > 0
    page.select_option("#finding-filters select[name=severity]", "critical")
    page.click("#finding-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "severity=critical" in page.url
    assert page.locator("#findings-table .sev-warning").count() == 0

    page.click("#worst tbody tr:first-child a")
    page.wait_for_url("**/compliance/residents/*/")
    for canvas in ("years-chart", "share-chart", "cc-chart", "clinic-chart"):
        drawn = chart_drawn(page, canvas)
        assert drawn["points"] > 0 and drawn["width"] > 0, canvas
    assert page.locator("#tiles .tile").count() == 6
    assert page.locator("#resident-findings li").count() > 0
