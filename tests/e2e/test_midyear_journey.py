"""In a real browser (issue 11): a director records approved medical leave for three future
weeks, starts the minimal-change re-plan, reads the diff and publishes it; the wards' list
shows the resident on leave. No week before today changes at any step.

The clock is Wednesday 21 July 2027, in week 4 of the tiny ten-week year: weeks 1-3 are
history. There is no request form on this branch, so the leave is stored through the ORM
as an approved request, exactly as a bundle import stores one.
"""

import datetime
import re

import pytest
import time_machine

from programs.models import Resident, ResidentRequest
from scheduling.models import ScheduleVersion
from scheduling.selectors import version_rows
from scheduling.services.versions import version_publish
from tests.e2e.conftest import sign_in
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.e2e

IN_WEEK_4 = datetime.datetime(2027, 7, 21, 15, 0, tzinfo=datetime.UTC)
HISTORY = 3
LEAVE = [6, 7, 8]


def _history(version) -> dict:
    return {rid: row[:HISTORY] for rid, row in version_rows(version=version).items()}


def test_director_replans_around_medical_leave_and_publishes(browser_page, two_programs):
    built = make_built(two_programs)
    version_publish(version=built.version, by=two_programs.director)
    history = _history(built.version)
    year = built.schedule.academic_year
    resident = Resident.objects.get(program=built.program, external_id="T05")
    page = browser_page
    with time_machine.travel(IN_WEEK_4, tick=True):
        ResidentRequest.objects.create(
            resident=resident,
            kind=ResidentRequest.Kind.LEAVE,
            status=ResidentRequest.Status.APPROVED,
            weeks=[year.week_start(w).isoformat() for w in LEAVE],
        )
        sign_in(page, two_programs.director.email)
        page.goto(f"/p/alpha/schedule/2027-2028/v{built.version.number}/")
        assert "Weeks 1–3" in page.inner_text("#history-note")
        page.fill("#id_reason", "Medical leave for T05, weeks 7-9")
        page.click("#replan-button")
        page.wait_for_url(re.compile(r".*/jobs/\d+/"))
        page.click("text=See what the re-plan changes")
        page.wait_for_selector("#diff-figures")

        replan = ScheduleVersion.objects.get(schedule=built.schedule, source="replan")
        assert replan.status == ScheduleVersion.Status.DRAFT
        assert _history(replan) == history  # the re-plan kept history
        assert version_rows(version=replan)["T05"][6:9] == [None, None, None]
        cells = int(page.inner_text("#diff-cells"))
        assert 3 <= cells <= 9
        assert page.inner_text("#diff-residents") != "0"
        assert "T05" in page.inner_text("#diff-table")
        assert page.inner_text("#diff-after") == "0"

        asked: list[str] = []
        page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        page.click("#publish-button")
        page.wait_for_selector("text=is published")
        assert asked and asked[0].startswith(f"Publish version {replan.number}")
        replan.refresh_from_db()
        assert replan.status == ScheduleVersion.Status.PUBLISHED
        assert _history(replan) == history  # publishing kept it too
        assert "Re-planned" in page.inner_text("#events")

        # The wards' list for the first leave week shows T05 on leave.
        page.goto(f"/p/alpha/schedule/on-service/?week={year.week_start(6).isoformat()}")
        assert resident.name in page.locator("#week-6 .off-card").inner_text()
    for version in ScheduleVersion.objects.filter(schedule=built.schedule):
        assert _history(version) == history, version
