"""The home page per role: what needs each role now, a fixed number of queries each, and
navigation that shows each role only what it can use."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from compliance.models import ComplianceRun, Finding
from homes.selectors import home_coordinator, home_director, home_mentor, home_resident
from mentoring.models import Mentorship
from programs.models import Resident, ResidentRequest, Role, StaffingRule
from resident_requests.models import Swap
from scheduling.models import Assignment, BuildJob
from tests.factories import FacultyFactory, ResidentFactory, RoleFactory, UserFactory
from tests.mentoring.factories import ActionItemFactory, MeetingFactory, MentorshipFactory
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 9)  # week 10 of 2026-2027 (starts Monday 29 June 2026)
NOON = datetime.datetime(2026, 9, 9, 16, 0, tzinfo=datetime.UTC)


def _world(residents=5):
    return build_world(residents=residents, first_year=2026, slug="alpha")


def _queries(selector, **kwargs) -> int:
    with CaptureQueriesContext(connection) as seen:
        selector(**kwargs)
    return len(seen)


def _grow(world, count: int) -> None:
    """More of everything the home pages list: residents with requests and mentorships."""
    mentor = FacultyFactory(program=world.program, mentor_capacity=50)
    for _ in range(count):
        resident = ResidentFactory(program=world.program, track=world.tracks["CAT"])
        ResidentRequest.objects.create(
            resident=resident, kind="vacation", status="pending", weeks=["2026-10-05"]
        )
        Swap.objects.create(
            program=world.program,
            schedule=world.schedules[0],
            offered_by=resident,
            partner=world.residents[0],
            weeks=[12],
            status=Swap.Status.ACCEPTED,
        )
        meeting = MeetingFactory(
            mentorship=MentorshipFactory(program=world.program, mentor=mentor, resident=resident)
        )
        ActionItemFactory(meeting=meeting)


# --- Director and chief -------------------------------------------------------------------


def test_the_director_sees_requests_findings_overdue_mentorships_gaps_and_builds():
    world = _world()
    program, resident = world.program, world.residents[0]
    ResidentRequest.objects.create(
        resident=resident, kind="vacation", status="pending", weeks=["2026-10-05"]
    )
    ResidentRequest.objects.create(resident=resident, kind="leave", status="approved")
    run = ComplianceRun.objects.create(
        schedule=world.schedules[0], version=world.versions[0], trigger="edit", critical_count=1
    )
    Finding.objects.create(
        run=run,
        severity="critical",
        rule_id="critical_care_max_months",
        reference="ACGME",
        resident=resident,
        message="Seven months of critical care, above the six allowed.",
    )
    MentorshipFactory(program=program, resident=resident, started_on=datetime.date(2026, 1, 5))
    # ICU needs three residents every week; nobody is in the ICU in week 10 or 11.
    StaffingRule.objects.filter(rotation=world.rotations["ICU"]).update(min_residents=3)
    Assignment.objects.filter(rotation=world.rotations["ICU"], week__in=[10, 11]).delete()
    BuildJob.objects.create(schedule=world.schedules[0], status="running")

    home = home_director(program=program, today=TODAY)

    assert [r.resident for r in home["requests"]] == [resident]
    assert [f.message for f in home["critical"]] == [
        "Seven months of critical care, above the six allowed."
    ]
    assert [row.mentorship.resident for row in home["overdue"]] == [resident]
    icu = [g for g in home["gaps"] if g.rotation_name == "Medical ICU"]
    assert [(g.week, g.staffed, g.missing) for g in icu] == [(10, 0, 3), (11, 0, 3)]
    assert [job.status for job in home["builds"]] == ["running"]


def test_swaps_both_residents_agreed_to_wait_on_the_director_home_with_the_requests():
    world = _world()
    program, giver, partner = world.program, world.residents[0], world.residents[1]
    request = ResidentRequest.objects.create(
        resident=giver, kind="vacation", status="pending", weeks=["2026-10-05"]
    )
    agreed = Swap.objects.create(
        program=program,
        schedule=world.schedules[0],
        offered_by=giver,
        partner=partner,
        weeks=[14],
        partner_weeks=[13],
        status=Swap.Status.ACCEPTED,
    )
    for status in (Swap.Status.OFFERED, Swap.Status.APPROVED, Swap.Status.REFUSED):
        Swap.objects.create(
            program=program,
            schedule=world.schedules[0],
            offered_by=giver,
            partner=partner,
            weeks=[15],
            status=status,
        )
    home = home_director(program=program, today=TODAY)
    assert [(item.kind, item.obj) for item in home["requests"]] == [
        ("request", request),
        ("swap", agreed),
    ]
    swap = home["requests"][1]
    assert swap.label == f"Swap with {partner.name}"
    assert swap.first_week == datetime.date(2026, 9, 28)  # week 14 of the year, the earliest


def test_the_director_sees_no_gap_without_a_published_schedule():
    world = build_world(residents=3, first_year=2026, status="draft")
    StaffingRule.objects.update(min_residents=50, max_residents=None)
    home = home_director(program=world.program, today=TODAY)
    assert home["published"] is None and home["gaps"] == []


def test_the_director_home_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = _world()
    small = _queries(home_director, program=world.program, today=TODAY)
    _grow(world, 12)
    with django_assert_max_num_queries(9):  # requests and agreed swaps: one query each
        home = home_director(program=world.program, today=TODAY)
    assert len(home["requests"]) == 24  # twelve requests and twelve agreed swaps
    assert _queries(home_director, program=world.program, today=TODAY) == small


# --- Coordinator --------------------------------------------------------------------------


def test_the_coordinator_sees_invitations_and_people_without_an_account():
    world = _world(residents=2)
    program = world.program
    waiting = Invitation.objects.create(
        program=program,
        email="new@example.org",
        role="resident",
        expires_at=NOON.replace(year=2027),
    )
    Invitation.objects.create(
        program=program,
        email="late@example.org",
        role="faculty",
        expires_at=NOON.replace(year=2025),
    )
    invited = world.residents[0]
    Invitation.objects.create(
        program=program,
        email=invited.email,
        role="resident",
        resident=invited,
        expires_at=NOON.replace(year=2027),
    )
    mentor = FacultyFactory(program=program, mentor_capacity=3)
    home = home_coordinator(program=program, now=NOON)
    assert waiting in home["waiting"] and len(home["expired"]) == 1
    assert invited not in home["residents_without_account"]
    assert world.residents[1] in home["residents_without_account"]
    assert home["mentors_without_account"] == [mentor]
    assert home["issue_count"] == 3


def test_the_coordinator_home_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = _world()
    small = _queries(home_coordinator, program=world.program, now=NOON)
    _grow(world, 10)
    with django_assert_max_num_queries(3):
        home_coordinator(program=world.program, now=NOON)
    assert _queries(home_coordinator, program=world.program, now=NOON) == small


# --- Mentor -------------------------------------------------------------------------------


def test_the_mentor_sees_mentees_by_cadence_open_items_and_next_meetings():
    world = _world(residents=2)
    mentor = FacultyFactory(program=world.program, mentor_capacity=4)
    late, fresh = world.residents
    MentorshipFactory(program=world.program, mentor=mentor, resident=late)
    recent = MeetingFactory(
        mentorship=MentorshipFactory(program=world.program, mentor=mentor, resident=fresh),
        occurred_on=datetime.date(2026, 9, 1),
    )
    ActionItemFactory(meeting=recent, description="Draft a personal statement")
    home = home_mentor(faculty=mentor, today=TODAY)
    assert [
        (status.value, [r.mentorship.resident for r in rows]) for status, rows in home["groups"]
    ] == [
        ("overdue", [late]),
        ("on_track", [fresh]),
    ]
    assert [i.description for i in home["open_items"]] == ["Draft a personal statement"]
    assert [r.mentorship.resident for r in home["next_meetings"]] == [late, fresh]


def test_the_mentor_home_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = _world()
    _grow(world, 2)
    mentor = Mentorship.objects.filter(program=world.program).first().mentor
    small = _queries(home_mentor, faculty=mentor, today=TODAY)
    _grow(world, 10)
    Mentorship.objects.filter(program=world.program).update(mentor=mentor)
    with django_assert_max_num_queries(2):
        home = home_mentor(faculty=mentor, today=TODAY)
    assert len(home["rows"]) == 12
    assert _queries(home_mentor, faculty=mentor, today=TODAY) == small


# --- Resident -----------------------------------------------------------------------------


def test_the_resident_sees_this_week_and_next_requests_and_mentoring():
    world = _world(residents=2)
    resident = world.residents[0]
    ResidentRequest.objects.create(
        resident=resident, kind="vacation", status="pending", weeks=["2026-10-05"]
    )
    MentorshipFactory(
        program=world.program, resident=resident, started_on=datetime.date(2026, 8, 3)
    )
    home = home_resident(program=world.program, resident=resident, today=TODAY)
    placed = {
        a.week: a.rotation
        for a in Assignment.objects.filter(version=world.versions[0], resident=resident)
    }
    assert [(w["week"], w["rotation"]) for w in home["coming"]] == [
        (10, placed.get(10)),
        (11, placed.get(11)),
    ]
    assert home["coming"][0]["start"] == datetime.date(2026, 9, 7)
    assert [q.kind for q in home["open_requests"]] == ["vacation"]
    assert home["mentoring"].cadence.next_meeting_due == datetime.date(2026, 11, 2)


def test_the_resident_home_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = _world()
    resident = world.residents[0]
    small = _queries(home_resident, program=world.program, resident=resident, today=TODAY)
    for week in range(3):
        ResidentRequest.objects.create(
            resident=resident, kind="vacation", status="pending", weeks=[f"2026-10-{5 + week:02d}"]
        )
    MentorshipFactory(program=world.program, resident=resident)
    with django_assert_max_num_queries(8):
        home_resident(program=world.program, resident=resident, today=TODAY)
    assert _queries(home_resident, program=world.program, resident=resident, today=TODAY) == small


# --- The page and the navigation ------------------------------------------------------------


def _page(client, user, slug="alpha") -> str:
    client.force_login(user)
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("homes:home", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_person_with_one_program_lands_on_its_home_page(client, two_programs):
    client.force_login(two_programs.resident_user)
    assert client.get(reverse("home"))["Location"] == reverse("homes:home", args=["alpha"])


def test_each_role_sees_its_own_sections(client, two_programs):
    director = _page(client, two_programs.director)
    assert 'id="home-director"' in director and 'id="home-resident"' not in director
    chief = _page(client, two_programs.chief)
    assert 'id="home-director"' in chief and 'id="home-coordinator"' not in chief
    mentor = _page(client, two_programs.faculty_user)
    assert 'id="home-mentor"' in mentor and 'id="home-director"' not in mentor
    resident = _page(client, two_programs.resident_user)
    assert 'id="home-resident"' in resident and 'id="home-mentor"' not in resident
    coordinator = UserFactory()
    RoleFactory(user=coordinator, program=two_programs.program, kind=Role.Kind.COORDINATOR)
    page = _page(client, coordinator)
    assert 'id="home-coordinator"' in page and 'id="home-director"' not in page


def test_the_resident_gets_links_to_their_balance_and_schedule(client, two_programs):
    page = _page(client, two_programs.resident_user)
    balance = reverse("compliance:resident_balance", args=["alpha", two_programs.resident.pk])
    assert f'href="{balance}" id="nav-my-balance"' in page
    assert reverse("scheduling:my_schedule", args=["alpha"]) in page
    assert f'href="{reverse("scheduling:index", args=["alpha"])}"' not in page


def test_the_navigation_hides_tabs_a_role_cannot_use(client, two_programs):
    # A chief resident with no mentee and no resident record: Mentoring would be a dead end.
    chief = _page(client, two_programs.chief)
    assert 'id="nav-mentoring"' not in chief
    assert reverse("scheduling:index", args=["alpha"]) in chief
    mentor = _page(client, two_programs.faculty_user)
    assert 'id="nav-mentoring"' in mentor
    assert reverse("compliance:dashboard", args=["alpha"]) not in mentor


def test_the_calendar_page_keeps_the_navigation(client, two_programs):
    client.force_login(two_programs.resident_user)
    page = client.get(reverse("calendar_settings")).content.decode()
    assert 'id="nav-my-schedule"' in page and 'id="nav-home"' in page


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, two_programs, django_assert_max_num_queries
):
    world = build_world(residents=8, first_year=2026, program=two_programs.program)
    client.force_login(two_programs.director)
    url = reverse("homes:home", args=["alpha"])
    with time_machine.travel(NOON, tick=False), CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 15)
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert "Requests waiting for a decision" in page


def test_it_lists_only_active_residents_without_an_account(two_programs):
    ResidentFactory(program=two_programs.program, status=Resident.Status.GRADUATED)
    home = home_coordinator(program=two_programs.program, now=timezone.now())
    assert home["residents_without_account"] == []
