"""The grid in a real browser: it opens at this week; the keyboard moves between cells and
opens the edit box (Enter) or the "published — make a draft to edit" note; Escape closes
and gives focus back to the cell; tooltips say what a cell is; a rule-break message focuses
its cell; printing gives blocks of 13 weeks with every resident."""

import pytest

from programs.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SLUG, demo_program_create
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def active(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const [, r, w] = el.id.split("-");
            return {id: el.id, w: w, r: r}; }"""
    )


def focused(page, element_id: str) -> None:
    page.wait_for_function("id => document.activeElement.id === id", arg=element_id)


def test_a_director_reads_and_edits_the_grid_with_the_keyboard(browser_page, transactional_db):
    program = demo_program_create(residents=15, time_limit_s=10, log=lambda *args: None)
    year = program.academic_years.order_by("start").first()
    page = browser_page
    sign_in(page, f"director@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/p/{DEMO_SLUG}/schedule/{year.name}/")

    # It opens at this week: its header is inside the scrolled view.
    current = page.evaluate("JSON.parse(document.getElementById('grid-meta').textContent).current")
    assert current is not None
    box = page.locator(f"#w-{current}").bounding_box()
    wrap = page.locator("#grid-wrap").bounding_box()
    assert wrap["x"] <= box["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"]
    assert "this week" in page.inner_text(f"#w-{current}").lower()

    # The keyboard: the grid has one tab stop, at this week; arrows move from it.
    page.focus("#grid td.cell[tabindex='0']")
    start = active(page)
    assert start["w"] == str(current)
    page.keyboard.press("ArrowRight")
    assert active(page)["w"] == str(current + 1)
    page.keyboard.press("ArrowDown")
    moved = active(page)
    assert moved["w"] == str(current + 1) and moved["r"] != start["r"]
    page.keyboard.press("ArrowLeft")
    assert active(page)["w"] == str(current)

    # A tooltip says what the cell is.
    title = page.get_attribute(f"#{active(page)['id']}", "title")
    assert f"week {current + 1}" in title and "pinned" in title

    # A published version answers Enter with how to edit it.
    page.keyboard.press("Enter")
    note = page.locator("#published-note")
    note.wait_for(state="visible")
    assert "Published — make a draft to edit" in note.inner_text()
    page.keyboard.press("Escape")
    note.wait_for(state="hidden")

    # Make the draft, then edit a cell with the keyboard only.
    page.locator("#grid td.cell").first.click()  # a click says the same
    page.click("#published-copy")
    page.wait_for_url("**?v=2")
    page.focus("#grid td.cell[tabindex='0']")
    cell = active(page)
    page.keyboard.press("Enter")
    page.locator("#cell-modal").wait_for(state="visible")
    focused(page, "cell-rotation")
    options = page.locator("#cell-rotation option").all_inner_texts()
    assert all("…" not in o for o in options) and any("(" in o for o in options)
    page.keyboard.press("Escape")
    page.locator("#cell-modal").wait_for(state="hidden")
    focused(page, cell["id"])

    # Enter again, choose "leave / unscheduled", save: the week breaks a hard rule.
    page.keyboard.press("Enter")
    page.locator("#cell-modal").wait_for(state="visible")
    page.select_option("#cell-rotation", "")
    page.click("#cell-save")
    page.locator("#cell-modal").wait_for(state="hidden")
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('violation')", arg=cell["id"]
    )

    # Its message in the rule list focuses the cell.
    page.locator("#grid td.cell").first.focus()
    link = page.locator(f"a.violation-link[data-target='{cell['id']}']").first
    link.click()
    focused(page, cell["id"])
    assert "breaks a hard rule" in page.get_attribute(f"#{cell['id']}", "title")

    # Printing: the toolbar goes, the grid comes in blocks of 13 weeks, every resident.
    page.emulate_media(media="print")
    page.wait_for_selector("#grid-print table.grid-block", state="attached")
    blocks = page.locator("#grid-print table.grid-block")
    weeks = page.evaluate("JSON.parse(document.getElementById('grid-meta').textContent).weeks")
    assert blocks.count() == -(-len(weeks) // 13)
    rows = page.locator("#grid tbody tr").count()
    assert blocks.first.locator("tbody tr").count() == rows
    assert not page.locator("#grid-toolbar").is_visible()
    page.emulate_media(media="screen")
