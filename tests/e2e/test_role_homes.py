"""Each role's day in a real browser: the home page answers "what needs me now", the
navigation offers only what the role can use, and resident and mentor pages fit a 390 px
phone (no horizontal scroll, tap targets of at least 24 px)."""

import datetime
import re

import pytest

from accounts.models import Invitation
from history.models import Event
from mentoring.models import Meeting
from programs.clock import program_today
from programs.models import ResidentRequest, Role
from scheduling.models import BuildJob
from tests.e2e.conftest import sign_in
from tests.factories import ResidentFactory, RoleFactory, UserFactory
from tests.mentoring.factories import ActionItemFactory, MeetingFactory, MentorshipFactory
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _world(cast):
    """A published schedule of the year that contains today, a pending request, an overdue
    mentorship with an open action item, and a build running."""
    today = program_today(cast.program)
    first = today.year if today.month >= 7 else today.year - 1
    world = build_world(residents=6, first_year=first, program=cast.program, director=cast.director)
    ResidentRequest.objects.create(
        resident=cast.resident, kind="vacation", status="pending", weeks=[today.isoformat()]
    )
    mentorship = MentorshipFactory(
        program=cast.program,
        mentor=cast.faculty,
        resident=cast.resident,
        started_on=today - datetime.timedelta(days=200),
    )
    meeting = MeetingFactory(
        mentorship=mentorship, occurred_on=today - datetime.timedelta(days=120)
    )
    ActionItemFactory(meeting=meeting, description="Draft a teaching portfolio")
    BuildJob.objects.create(schedule=world.schedules[0], status="running")
    return world, meeting


def _fits_a_phone(page) -> None:
    """No horizontal scroll, and every button-like control at least 24 px tall (a chip's
    hidden radio or checkbox is measured by its label, which is what a finger taps)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    small = page.evaluate(
        """() => [...document.querySelectorAll('main .btn, main button, main input, main select')]
             .filter(e => e.offsetParent !== null && e.type !== 'hidden')
             .filter(e => !e.classList.contains('btn-check'))
             .map(e => [e.textContent.trim() || e.name || e.id, e.getBoundingClientRect().height])
             .filter(([, h]) => h < 24)"""
    )
    assert small == [], f"tap targets under 24 px on {page.url}: {small}"


def test_the_director_sees_what_needs_them(browser_page, two_programs):
    cast = two_programs
    _world(cast)
    page = browser_page
    sign_in(page, cast.director.email)
    page.wait_for_url("**/p/alpha/home/")
    requests = page.locator("#home-requests").inner_text()
    assert cast.resident.name in requests and "Vacation" in requests
    assert cast.resident.name in page.locator("#home-overdue").inner_text()
    assert "running" in page.locator("#home-builds").inner_text()
    assert "Coverage gaps this week and next" in page.locator("#home-gaps").inner_text()
    nav = page.locator("#mainnav").inner_text()
    assert "Schedule" in nav and "Mentoring" in nav and "My balance" not in nav


def test_the_chief_sees_the_program_and_no_dead_end(browser_page, two_programs):
    cast = two_programs
    _world(cast)
    page = browser_page
    sign_in(page, cast.chief.email)
    page.wait_for_url("**/p/alpha/home/")
    assert cast.resident.name in page.locator("#home-requests").inner_text()
    nav = page.locator("#mainnav").inner_text()
    assert "Schedule" in nav and "Mentoring" not in nav


def test_the_mentor_sees_mentees_items_and_edits_a_meeting_on_a_phone(browser_page, two_programs):
    cast = two_programs
    _, meeting = _world(cast)
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, cast.faculty_user.email)
    page.wait_for_url("**/p/alpha/home/")
    mentees = page.locator("#home-mentees").inner_text()
    assert "Overdue" in mentees and cast.resident.name in mentees
    assert "Draft a teaching portfolio" in page.locator("#home-action-items").inner_text()
    assert "Log a meeting" in page.locator("#home-next-meetings").inner_text()
    _fits_a_phone(page)
    for path in (
        "/p/alpha/mentoring/",
        f"/p/alpha/mentoring/mentorships/{meeting.mentorship_id}/meetings/new/",
    ):
        page.goto(path)
        _fits_a_phone(page)

    # A meeting logged today can still be changed by its mentor; the change is history.
    fresh = MeetingFactory(mentorship=meeting.mentorship, occurred_on=meeting.occurred_on)
    page.goto(f"/p/alpha/mentoring/meetings/{fresh.pk}/")
    _fits_a_phone(page)
    page.get_by_role("link", name="Edit this meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/edit/$"))
    _fits_a_phone(page)
    page.fill("input[name=duration_minutes]", "50")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/mentoring/meetings/{fresh.pk}/")
    assert Meeting.objects.get(pk=fresh.pk).duration_minutes == 50
    assert Event.objects.filter(kind=Event.Kind.SETUP_CHANGED, actor=cast.faculty_user).exists()


def test_the_resident_sees_their_weeks_balance_and_mentoring_on_a_phone(browser_page, two_programs):
    cast = two_programs
    _world(cast)
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, cast.resident_user.email)
    page.wait_for_url("**/p/alpha/home/")
    weeks = page.locator("#home-weeks").inner_text()
    assert "This week" in weeks and "Next week" in weeks
    assert "Vacation" in page.locator("#home-requests-mine").inner_text()
    assert cast.faculty.name in page.locator("#home-mentoring-mine").inner_text()
    _fits_a_phone(page)
    # The navigation (collapsed on a phone) offers their schedule and balance, not the grid.
    page.get_by_role("button", name="Menu").click()
    page.locator("#nav-my-balance").click()
    page.wait_for_url(f"**/p/alpha/compliance/residents/{cast.resident.pk}/")
    _fits_a_phone(page)
    page.goto("/p/alpha/schedule/mine/")
    _fits_a_phone(page)
    # The calendar page keeps the navigation and offers Subscribe (webcal://) and Copy.
    page.goto("/calendar/")
    assert page.locator("#nav-home").count() == 1
    page.get_by_role("button", name="Create my calendar link").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#subscribe").get_attribute("href").startswith("webcal://")
    assert page.get_by_role("button", name="Copy").count() == 1
    _fits_a_phone(page)


def test_the_coordinator_sees_invitations_and_roster_issues(browser_page, two_programs):
    cast = two_programs
    coordinator = UserFactory()
    RoleFactory(user=coordinator, program=cast.program, kind=Role.Kind.COORDINATOR)
    newcomer = ResidentFactory(program=cast.program, track=cast.resident.track, name="Nia Newcomer")
    Invitation.objects.create(
        program=cast.program,
        email="waiting@example.org",
        role="resident",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
    )
    page = browser_page
    sign_in(page, coordinator.email)
    page.wait_for_url("**/p/alpha/home/")
    assert "waiting@example.org" in page.locator("#home-invitations").inner_text()
    assert newcomer.name in page.locator("#home-roster-issues").inner_text()
    assert page.locator("#home-director").count() == 0
    page.get_by_role("link", name="Invite someone").click()
    page.wait_for_url("**/p/alpha/people/invite/")
    assert page.locator("select[name=role]").input_value() == "resident"
