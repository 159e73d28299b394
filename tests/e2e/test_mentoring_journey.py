"""The mentoring journey in a real browser: the director proposes and approves pairs, the
mentor logs a meeting, the resident sees it, confirms it, ticks an action item and reflects.
"""

import datetime
import re

import pytest

from mentoring.models import Meeting, Mentorship
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PRIVATE = "Worried about burnout; follow up quietly"


def switch_user(page, email):
    page.context.clear_cookies()
    sign_in(page, email)


def test_director_pairs_mentor_logs_and_resident_reflects(browser_page, two_programs):
    page = browser_page
    cast = two_programs
    cast.resident.career_goals = ["medical education"]
    cast.resident.save(update_fields=["career_goals"])

    # The director proposes pairs and approves them.
    sign_in(page, cast.director.email)
    page.goto("/p/alpha/mentoring/")
    page.get_by_role("button", name="Propose mentor pairs").click()
    page.get_by_role("button", name="Run the optimiser").click()
    page.wait_for_url(re.compile(r"/mentoring/pairing/\d+/$"))
    row = page.locator("tr", has_text=cast.resident.name)
    assert cast.faculty.name in row.inner_text()
    assert "both: medical education" in row.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"Approve 1 change")).click()
    page.wait_for_url("**/p/alpha/mentoring/")
    assert "1 new mentorship started" in page.content()
    mentorship = Mentorship.objects.get(resident=cast.resident, ended_on__isnull=True)
    assert mentorship.mentor == cast.faculty

    # The mentor logs a meeting in one form.
    switch_user(page, cast.faculty_user.email)
    page.goto("/p/alpha/mentoring/")
    page.get_by_role("link", name="Log a meeting").click()
    page.locator("[data-minutes='45']").click()  # quick buttons: static/js/meeting_form.js
    assert page.input_value("input[name=duration_minutes]") == "45"
    rows = page.locator("#action-items tbody tr").count()
    page.click("#add-action-item")
    assert page.locator("#action-items tbody tr").count() == rows + 1
    page.locator("label", has_text="Virtual").click()
    page.locator("label", has_text="career planning").click()
    page.fill("textarea[name=goals_discussed]", "Apply to a medical education track")
    page.fill("input[name=items-0-description]", "Draft a teaching portfolio")
    page.fill("textarea[name=private_notes]", PRIVATE)
    page.fill("input[name=start_time]", "15:30")
    page.get_by_role("button", name="Save meeting").click()
    page.wait_for_url(f"**/mentoring/mentorships/{mentorship.pk}/")
    assert "logged" in page.content() and PRIVATE in page.content()
    meeting = Meeting.objects.get(mentorship=mentorship)
    assert meeting.format == "virtual" and meeting.topics == ["career planning"]
    assert meeting.start_time == datetime.time(15, 30)

    # From their page to their meetings feed: at 15:30 in the program's time zone, and
    # never the private notes.
    page.goto("/p/alpha/mentoring/")
    page.get_by_role("link", name="Meetings in my calendar").click()
    page.get_by_role("button", name="Create my mentoring link").click()
    page.wait_for_url("**/calendar/")
    webcal = page.locator("#feeds-alpha a[href^='webcal://']").first.get_attribute("href")
    feed = page.request.get("http://" + webcal.removeprefix("webcal://"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert b"DTSTART;TZID=America/New_York:" in feed.body()
    assert b"T153000" in feed.body() and PRIVATE.encode() not in feed.body()

    # The resident sees the shared parts only, confirms, ticks and reflects.
    switch_user(page, cast.resident_user.email)
    page.goto("/p/alpha/mentoring/")
    assert "Apply to a medical education track" in page.content()
    assert PRIVATE not in page.content()
    page.get_by_role("button", name="Mark as done: Draft a teaching portfolio").first.click()
    page.get_by_role("button", name="Reopen: Draft a teaching portfolio").first.wait_for()
    page.goto(f"/p/alpha/mentoring/meetings/{meeting.pk}/")
    page.get_by_role("button", name="I attended").click()
    page.wait_for_load_state("networkidle")
    assert "Attendance confirmed" in page.content()
    page.fill("textarea[name=reflection]", "Good plan; I will start the portfolio this week.")
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_load_state("networkidle")
    assert "Reflection saved" in page.content()
    assert PRIVATE not in page.content()

    meeting.refresh_from_db()
    assert meeting.resident_reflection.startswith("Good plan")
    assert meeting.resident_confirmed_at is not None
    assert meeting.action_items.get().done_at is not None
