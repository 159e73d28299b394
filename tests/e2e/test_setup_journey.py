"""In a real browser, from an empty database: a site operator creates a program; its director
defines two tracks, six rotations with staffing, requirements and a ten-resident roster
entirely in the browser, builds the schedule (in-process in the tests), which the independent
checker passes, and exports the bundle; imported into an empty database, that bundle gives
the same program. Bad input on the way is refused on the page, with nothing saved."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from history.models import Event
from programs.models import Program, Rotation, Track
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory
from tests.support.schedule_checker import check_schedule

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

SLUG = "lake-im"
TRACKS = [("CAT", "Categorical", "30", "60"), ("PC", "Primary Care", "35", "60")]
# code, name, setting, phase, colour swatch, max in a row, staffing rows (pgy, min, max)
ROTATIONS = [
    ("WARDS", "General Wards", "inpatient", "x", "#1f5fa8", "", [(["1", "2"], "1", "5")]),
    ("ICU", "Medical ICU", "critical_care", "x", "#b02a37", "2", [(["1", "2"], "0", "2")]),
    ("NF", "Night Float", "inpatient", "x", "#1f3a68", "2", [(["2"], "0", "2")]),
    ("ELEC", "Inpatient Elective", "elective_inpatient", "x", "#6f42c1", "", []),
    ("CLINIC", "Continuity Clinic", "ambulatory", "y", "#2b7a3d", "", []),
    ("VAC", "Vacation", "vacation", "any", "#495057", "", []),
]


def _fill_program(page, director_email):
    page.goto("/programs/new/")
    page.fill("#id_name", "Lakeside Internal Medicine")
    page.fill("#id_slug", SLUG)
    page.fill("#id_institution", "Lakeside Hospital")
    page.select_option("#id_timezone", "America/Chicago")
    page.fill("#id_x_weeks", "3")
    page.fill("#id_y_weeks", "2")
    page.fill("#id_cohorts", "5")
    page.fill("#id_year_name", "2027-2028")
    page.fill("#id_year_start", "2027-06-28")
    page.fill("#id_year_weeks", "10")
    page.fill("#id_director_email", director_email)


def _add_track(page, code, name, low, high):
    page.goto(f"/p/{SLUG}/setup/tracks/new/")
    page.fill("#id_code", code)
    page.fill("#id_name", name)
    page.fill("#id_ambulatory_min", low)
    page.fill("#id_ambulatory_max", high)
    page.click("button[name=save]")


def _add_rotation(page, code, name, setting, phase, colour, in_a_row, staffing):
    page.goto(f"/p/{SLUG}/setup/rotations/new/")
    page.fill("#id_code", code)
    page.fill("#id_name", name)
    page.select_option("#id_setting", setting)
    page.select_option("#id_phase", phase)
    page.click(f"[data-swatch='{colour}']")
    page.fill("#id_max_consecutive_weeks", in_a_row)
    for row, (levels, low, high) in enumerate(staffing):
        if row:  # one empty rule is offered; each further one comes from the button
            page.click("[data-add-row]")
        for level in levels:
            page.check(f"input[name='staffing-{row}-pgy'][value='{level}']")
        page.fill(f"input[name='staffing-{row}-min']", low)
        page.fill(f"input[name='staffing-{row}-max']", high)
    page.click("button[name=save]")


def _add_requirement(page, tracks, levels, rotations, low):
    """`tracks` and `rotations` by the labels the form shows ("Primary Care (PC)")."""
    page.goto(f"/p/{SLUG}/setup/requirements/new/")
    if tracks == "*":
        page.check("#id_all_tracks")
    else:
        for label in tracks:
            page.get_by_label(label, exact=True).check()
    for level in levels:
        page.check(f"input[name=pgy][value='{level}']")
    for label in rotations:
        page.get_by_label(label, exact=True).check()
    page.fill("#id_min_weeks", low)
    page.click("button[name=save]")


def test_a_program_is_set_up_built_and_exported_in_the_browser(browser_page, tmp_path):
    page = browser_page
    operator = UserFactory(email="operator@example.org", is_superuser=True, is_staff=True)
    director = UserFactory(email="pd@lakeside.example.org", name="Pat Director")
    assert not Program.objects.exists()

    # The site operator creates the program and names its director.
    sign_in(page, operator.email)
    page.click("text=New program")
    _fill_program(page, director.email)
    page.fill("#id_year_start", "2027-06-29")  # a Tuesday: refused, nothing saved
    page.click("button[name=save]")
    assert "expected a Monday" in page.inner_text("main form")
    assert not Program.objects.exists()
    page.fill("#id_year_start", "2027-06-28")
    page.click("button[name=save]")
    page.wait_for_url(f"**/p/{SLUG}/")
    assert page.locator(".setup-check [data-step=tracks] .text-danger").count() == 1

    # The director sets everything up.
    page.context.clear_cookies()
    sign_in(page, director.email)
    # A director lands on their home page (issue 14), which points at the unfinished set-up.
    assert page.url.endswith(f"/p/{SLUG}/home/")
    for track in TRACKS:
        _add_track(page, *track)
        page.wait_for_url(f"**/p/{SLUG}/setup/tracks/")
    _add_track(page, "pc", "Again", "50", "140")  # a duplicate code and a band above 100%
    assert "duplicate track code" in page.inner_text("main form")
    assert "from 0 to 100" in page.inner_text("main form")
    assert Track.objects.filter(program__slug=SLUG).count() == 2

    for rotation in ROTATIONS:
        _add_rotation(page, *rotation)
        page.wait_for_url(f"**/p/{SLUG}/setup/rotations/")
    bad = ("BAD", "Bad", "inpatient", "x", "#1f5fa8", "", [(["1"], "3", "2")])
    _add_rotation(page, *bad)  # staffing min above max
    assert "min 3 is greater than max 2" in page.inner_text(".staffing-table")
    page.fill("#id_color", "not-a-colour")
    page.click("button[name=save]")
    assert "#rrggbb" in page.inner_text("main form")
    assert Rotation.objects.filter(program__slug=SLUG).count() == 6
    icu = Rotation.objects.get(program__slug=SLUG, code="ICU")
    assert icu.color == "#b02a37" and icu.staffing.get().max_residents == 2

    _add_requirement(page, "*", ["1"], ["General Wards (WARDS)"], "2")
    page.wait_for_url(f"**/p/{SLUG}/setup/requirements/")
    _add_requirement(page, ["Primary Care (PC)"], ["1", "2"], ["Continuity Clinic (CLINIC)"], "3")
    page.wait_for_url(f"**/p/{SLUG}/setup/requirements/")

    for n in range(1, 11):
        page.goto(f"/p/{SLUG}/setup/residents/new/")
        page.fill("#id_external_id", f"L{n:02d}")
        page.fill("#id_name", f"Lake Resident {n:02d}")
        page.fill("#id_email", f"lake{n:02d}@example.org")
        page.select_option("#id_pgy", str(1 + n % 2))
        page.select_option(
            "#id_track", label="Primary Care (PC)" if n <= 3 else "Categorical (CAT)"
        )
        page.fill("#id_interests", "primary care" if n <= 3 else "hospital medicine")
        page.click("button[name=save]")
        page.wait_for_url(f"**/p/{SLUG}/setup/residents/")
    assert page.locator(".setup-list tbody tr").count() == 10

    # The checklist is done up to the build; deleting a rotation in use will be refused.
    page.goto(f"/p/{SLUG}/")
    for step in ("tracks", "rotations", "requirements", "roster"):
        assert page.locator(f".setup-check [data-step={step}].done").count() == 1, step

    page.goto(f"/p/{SLUG}/schedule/2027-2028/")
    page.fill("#id_time_limit_s", "10")
    page.click("#build-button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/"))
    page.wait_for_selector("text=Stored as draft", timeout=60_000)

    page.goto(f"/p/{SLUG}/setup/rotations/WARDS/delete/")
    page.click("main button[type=submit]")
    assert "Not deleted: WARDS is scheduled in v1 of 2027-2028" in page.inner_text("main")
    assert Rotation.objects.filter(program__slug=SLUG, code="WARDS").exists()

    # The overview exports the bundle; the schedule passes the independent checker.
    page.goto(f"/p/{SLUG}/")
    with page.expect_download() as download:
        page.click("text=Export bundle")
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    schedule = page.request.get(f"/p/{SLUG}/schedule/2027-2028/v1/export.json").json()
    assert len(schedule["assignments"]) == 100
    assert check_schedule(bundle, schedule, "2027-2028") == []
    assert {r["id"]: r.get("interests") for r in bundle["residents"]}["L01"] == ["primary care"]
    assert Event.objects.filter(program__slug=SLUG, kind=Event.Kind.SETUP_CREATED).count() >= 20

    # A fresh, empty database given that bundle holds the same program.
    assert _through_a_fresh_database(bundle, tmp_path) == bundle


def _through_a_fresh_database(bundle: dict, folder: Path) -> dict:
    """`bundle` imported into a new SQLite database by `manage.py import_program`, and
    exported back by `manage.py export_program` (separate processes, nothing shared)."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{folder / 'fresh.sqlite3'}"
    (folder / "bundle.json").write_text(json.dumps(bundle), encoding="utf-8")

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300
        )

    manage("migrate", "--verbosity", "0")
    manage("import_program", str(folder / "bundle.json"))
    manage("export_program", SLUG, "--output", str(folder / "again.json"))
    return json.loads((folder / "again.json").read_text(encoding="utf-8"))
