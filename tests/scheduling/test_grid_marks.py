"""The grid says what it shows without colour alone and without solver jargon: this week
framed and labelled, rule breaks marked and linked to their cells, the published version
explains how to edit, the build's outcome in words."""

import datetime
import json
import re
from pathlib import Path

import time_machine
from django.urls import reverse

from scheduling.hard_rules import RULE_TITLES
from scheduling.services.versions import version_publish

YEAR = "2027-2028"
IN_WEEK_3 = datetime.datetime(2027, 7, 14, 12, 0, tzinfo=datetime.UTC)  # a Wednesday


def grid_page(client, user, **params) -> str:
    client.force_login(user)
    return client.get(reverse("scheduling:grid", args=["alpha", YEAR]), params).content.decode()


def text(html: str) -> str:
    """What a reader sees: the markup without tags and attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def meta(html: str) -> dict:
    return json.loads(re.search(r'id="grid-meta"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_it_opens_at_this_week_marked_in_the_header_and_down_the_column(
    client, built, two_programs
):
    with time_machine.travel(IN_WEEK_3, tick=False):
        html = grid_page(client, two_programs.director)

    assert meta(html)["current"] == 2  # the script scrolls there
    header = re.search(r'<th [^>]*id="w-2"[^>]*>.*?</th>', html, re.S).group(0)
    assert "today" in header and "This week" in header and "(this week)" in header
    cells = re.findall(r'<td id="c-\d+-(\d+)" class="([^"]*)"', html)
    assert {week for week, classes in cells if "today" in classes.split()} == {"2"}
    # the rotation colour stays: a this-week cell keeps its own background
    this_week = re.search(r'<td id="c-\d+-2" class="[^"]*today[^"]*" style="([^"]*)"', html)
    assert this_week.group(1).startswith("background-color:#")


def test_outside_the_year_no_week_is_marked(client, built, two_programs):
    with time_machine.travel(datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), tick=False):
        html = grid_page(client, two_programs.director)

    assert meta(html)["current"] is None
    assert "This week</span>" not in html


def test_a_broken_rule_is_marked_on_its_cell_and_its_message_links_there(
    client, built, two_programs
):
    resident = built.residents[0]
    client.force_login(two_programs.chief)
    edit = reverse("scheduling:cell_edit", args=["alpha", YEAR, built.version.number])
    assert (
        client.post(edit, {"resident": resident.pk, "week": 0, "rotation": ""}).status_code == 200
    )

    html = grid_page(client, two_programs.chief)

    cell = re.search(rf'<td id="c-{resident.pk}-0" class="([^"]*)"', html).group(1)
    assert "violation" in cell.split()
    panel = re.search(r'id="violations-panel">(.*?)</section>', html, re.S).group(1)
    assert f'href="#c-{resident.pk}-0"' in panel
    assert f'data-target="c-{resident.pk}-0"' in panel
    # each message says which rule in words; no rule id in the list or its counts
    assert re.search(r'class="violation-link"[^>]*><strong>[A-Z][^<]+</strong> — ', panel)
    badges = re.findall(r'<span class="badge text-bg-light[^"]*">([^<]+)</span>', panel)
    assert badges and all(b.split(":")[0] in RULE_TITLES.values() for b in badges)
    assert "legend-violation" in html and "breaks a hard rule" in html  # not colour alone
    # the message names the resident, not the program's id (nobody else has that name)
    assert f"{resident.name} has no rotation in week 1." in text(panel)
    assert f"{resident.external_id} {resident.name}" not in text(panel)


def test_every_hard_rule_has_a_title(client):
    from scheduling import hard_rules

    source = Path(hard_rules.__file__).read_text()
    used = set(re.findall(r'Violation\(\s*"([a-z_]+)"', source))
    used |= set(re.findall(r'Violation\(\n\s+"([a-z_]+)"', source))
    assert used and used <= set(RULE_TITLES)


def test_a_published_version_says_make_a_draft_to_edit(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    html = grid_page(client, two_programs.director)

    assert "Published — make a draft to edit" in html
    copy = reverse("scheduling:copy", args=["alpha", YEAR, built.version.number])
    assert f'action="{copy}"' in html and 'id="published-copy"' in html
    assert 'id="cell-modal"' not in html
    assert meta(html)["editable"] is False
    # lean cells: the script reads a published cell from its id, classes and text
    assert re.search(r'<td id="c-\d+-0" class="cell[^"]*" style="[^"]*">[A-Z]+</td>', html)


def test_a_draft_has_the_edit_box_and_no_published_note(client, built, two_programs):
    html = grid_page(client, two_programs.director)

    assert 'id="cell-modal"' in html and 'id="published-note"' not in html
    # the edit box names each rotation in full, in a dialog wide enough to read it
    assert "modal-sm" not in html
    assert re.search(r"<option value=\"WARDS\"[^>]*>[^<(]+ \(WARDS, ", html)


def test_cells_carry_what_the_tooltips_say(client, built, two_programs):
    html = grid_page(client, two_programs.director)

    cell = re.search(r'<td id="c-\d+-0" [^>]*>', html).group(0)
    for attribute in ("data-r=", "data-w=", "data-code=", "data-y=", "data-pin="):
        assert attribute in cell
    rotations = meta(html)["rotations"]
    assert rotations and all(r["name"] and r["phase"] for r in rotations.values())


def test_the_solver_speaks_in_words(client, built, two_programs):
    html = grid_page(client, two_programs.director)
    header = text(re.search(r"<h1.*?</form>", html, re.S).group(0))
    index = text(client.get(reverse("scheduling:index", args=["alpha"])).content.decode())

    for jargon in ("OPTIMAL", "FEASIBLE", "objective", "bound", "gap"):
        assert jargon not in header
        assert jargon not in index
    assert 'id="solver-verdict"' in html


def test_every_filter_has_a_label(client, built, two_programs):
    html = grid_page(client, two_programs.director)
    for name in ("filter-pgy", "filter-track", "filter-cohort"):
        assert f'<label class="visually-hidden" for="{name}">' in html
