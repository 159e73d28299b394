"""Every table in a page template sits in a box that scrolls sideways, so a 390 px phone never
scrolls the whole page (a crawl of the demo at 390 px found 30 tables pushing the set-up,
people, overview, schedule and mentoring pages up to 945 px wide)."""

import re
from html.parser import HTMLParser
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
#: Boxes that scroll: Bootstrap's, and the grid's own (static/css: .grid-wrap).
SCROLL_BOXES = ("table-responsive", "grid-wrap")
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.bare: list[int] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and not any(box in cls for _, cls in self.open for box in SCROLL_BOXES):
            self.bare.append(self.getpos()[0])
        if tag not in VOID:
            self.open.append((tag, classes))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break


def bare_tables(source: str) -> list[int]:
    parser = _Tables()
    parser.feed(re.sub(r"\{#.*?#\}", "", source, flags=re.S))
    return parser.bare


def test_the_check_finds_a_bare_table():
    assert bare_tables('<div class="card"><table class="table"></table></div>') == [1]
    assert bare_tables('<div class="table-responsive"><table></table></div>') == []


def test_every_page_table_scrolls_in_its_own_box():
    found = {
        str(path.relative_to(TEMPLATES)): lines
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "email" not in str(path) and (lines := bare_tables(path.read_text()))
    }
    assert found == {}
