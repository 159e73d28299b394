"""Every link a home page shows opens for the person it is shown to (a crawl of the demo found
a chief resident's home linking to mentorships that answer 404 to them)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests.mentoring.factories import MentorshipFactory
from tests.support.compliance_world import build_world

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 9, 9, 16, 0, tzinfo=datetime.UTC)
HREF = re.compile(r'href="(/p/alpha/[^"#]*)"')


def _links(client, user) -> list[str]:
    client.force_login(user)
    with time_machine.travel(NOON, tick=False):
        page = client.get(reverse("homes:home", args=["alpha"])).content.decode()
    return sorted({href.replace("&amp;", "&") for href in HREF.findall(page)})


@pytest.fixture
def busy_alpha(two_programs):
    """Alpha with a schedule and an overdue mentorship, so every home card has rows."""
    world = build_world(residents=4, first_year=2026, program=two_programs.program)
    MentorshipFactory(
        program=two_programs.program,
        resident=world.residents[0],
        started_on=datetime.date(2026, 1, 5),
    )
    return two_programs


@pytest.mark.parametrize("role", ["director", "chief", "faculty_user", "resident_user"])
def test_every_link_on_the_home_page_opens_for_its_viewer(client, busy_alpha, role):
    user = getattr(busy_alpha, role)
    links = _links(client, user)
    assert links
    with time_machine.travel(NOON, tick=False):
        broken = {url: client.get(url).status_code for url in links}
    assert {url: code for url, code in broken.items() if code != 200} == {}


def test_a_chief_resident_is_not_shown_other_residents_mentorships(client, busy_alpha):
    page_links = _links(client, busy_alpha.chief)
    assert not [url for url in page_links if "/mentoring/" in url]


def test_a_director_of_a_program_not_set_up_is_pointed_at_the_next_step(client, two_programs):
    # A new director lands on the home page: it says what set-up is left and where to go next.
    client.force_login(two_programs.director)
    page = client.get(reverse("homes:home", args=["alpha"])).content.decode()
    assert 'id="home-setup"' in page
    assert reverse("programs:setup_rotations", args=["alpha"]) in page  # alpha has a track
    assert reverse("programs:overview", args=["alpha"]) in page


def test_the_set_up_card_leaves_once_the_program_is_set_up(client, busy_alpha):
    client.force_login(busy_alpha.director)
    with time_machine.travel(NOON, tick=False):
        page = client.get(reverse("homes:home", args=["alpha"])).content.decode()
    assert 'id="home-setup"' not in page


def test_only_those_who_set_the_program_up_see_the_set_up_card(client, two_programs):
    client.force_login(two_programs.chief)
    page = client.get(reverse("homes:home", args=["alpha"])).content.decode()
    assert 'id="home-setup"' not in page
