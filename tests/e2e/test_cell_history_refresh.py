"""The grid's cell-history panel follows the cell it shows: after an edit of that cell the
panel is loaded again and lists the edit, without a click or a reload."""

import pytest

from programs.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SLUG, demo_program_create
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_the_open_cell_history_lists_an_edit_of_its_cell(browser_page, transactional_db):
    program = demo_program_create(residents=15, time_limit_s=10, log=lambda *args: None)
    year = program.academic_years.order_by("start").first()
    page = browser_page
    sign_in(page, f"director@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/p/{DEMO_SLUG}/schedule/{year.name}/")
    page.locator("#grid td.cell").first.click()
    page.click("#published-copy")
    page.wait_for_url("**?v=2")

    # This week's cell: editable, and its history panel opens with the edit box.
    cell_id = page.get_attribute("#grid td.cell[tabindex='0']", "id")
    page.click(f"#{cell_id}")
    page.locator("#cell-modal").wait_for(state="visible")
    body = page.locator("#cell-history-content #cell-history-body")
    body.wait_for(state="visible")
    assert "No change recorded for this cell" in body.inner_text()

    page.select_option("#cell-rotation", "")
    page.click("#cell-save")
    page.locator("#cell-modal").wait_for(state="hidden")
    # The panel reloads by itself ("Loading…" first) and then lists the edit.
    page.wait_for_function(
        "() => document.querySelector('#cell-history-content #cell-history-body li .badge')"
        " !== null"
    )
    content = page.inner_text("#cell-history-content")
    assert "Cell edited" in content and "No change recorded" not in content
    assert f"week {int(cell_id.split('-')[2]) + 1}" in content
