"""The tiny program of the schedule tests, built once and published (v1), for requests.

Its ten-week year starts on 28 June 2027, after the real today, so every week can be asked
for unless a test moves the program's clock (`clock`)."""

import datetime
from dataclasses import dataclass
from unittest import mock

import pytest

from programs.models import Resident, Role
from scheduling.models import ScheduleVersion
from scheduling.selectors import version_rows
from scheduling.services.versions import version_publish
from tests.factories import ResidentFactory, RoleFactory, UserFactory
from tests.scheduling.conftest import Built, make_built

MONDAY = datetime.date(2027, 6, 28)


def week(index: int) -> datetime.date:
    return MONDAY + datetime.timedelta(weeks=index)


@dataclass
class World:
    cast: object
    built: Built
    published: ScheduleVersion
    me: Resident  # T01, the cast's resident account
    partner: Resident  # T02, with an account of their own
    partner_user: object

    def rows(self):
        return version_rows(version=self.built.schedule.published_version)


@pytest.fixture
def world(two_programs) -> World:
    return make_world(two_programs)


def make_world(two_programs) -> World:
    """Alpha built by the solver and published (v1); T02 gets an account of their own."""
    built = make_built(two_programs)
    version_publish(version=built.version, by=two_programs.director)
    built.schedule.refresh_from_db()
    partner = Resident.objects.get(program=built.program, external_id="T02")
    partner_user = UserFactory(email=partner.email)
    RoleFactory(user=partner_user, program=built.program, kind=Role.Kind.RESIDENT)
    Resident.objects.filter(pk=partner.pk).update(user=partner_user)
    partner.refresh_from_db()
    me = Resident.objects.get(program=built.program, external_id="T01")
    return World(two_programs, built, built.schedule.published_version, me, partner, partner_user)


@pytest.fixture
def stranger(two_programs):
    """A resident of the other program, on the same track code."""
    return ResidentFactory(
        program=two_programs.other_program, track=two_programs.other_resident.track
    )


@pytest.fixture
def clock():
    """Set the program's today: `clock(date)`."""
    patches = []

    def set_today(day: datetime.date):
        for target in (
            "resident_requests.services.requests.program_today",
            "resident_requests.services.swaps.program_today",
        ):
            patcher = mock.patch(target, return_value=day)
            patcher.start()
            patches.append(patcher)

    yield set_today
    for patcher in patches:
        patcher.stop()


def find_swap(world: World, *, allowed: bool):
    """(partner, week) of a one-week exchange of T01's cell that the rules allow (or not).

    The solver chooses the cells, so the tests look for a fitting week instead of naming one.
    """
    from django.core.exceptions import ValidationError

    from resident_requests.services import swap_check, swap_preview

    schedule = world.built.schedule
    schedule.refresh_from_db()
    for partner in sorted(world.built.residents, key=lambda r: r.external_id):
        if partner.pk == world.me.pk:
            continue
        for index in range(10):
            preview = swap_preview(
                schedule=schedule,
                offered_by=world.me,
                partner=partner,
                weeks=[index],
                partner_weeks=[],
            )
            if not preview.changes:
                continue
            try:
                swap_check(
                    schedule=schedule,
                    offered_by=world.me,
                    partner=partner,
                    weeks=[index],
                    partner_weeks=[],
                )
            except ValidationError:  # a refusal is what `allowed=False` looks for
                if not allowed:
                    return partner, index
                continue
            if allowed and preview.ok:
                return partner, index
    raise AssertionError("no such swap in this schedule")


def account_for(resident: Resident):
    """The resident's user account, created (with a resident role) when they have none."""
    if resident.user_id is None:
        user = UserFactory()
        RoleFactory(user=user, program=resident.program, kind=Role.Kind.RESIDENT)
        Resident.objects.filter(pk=resident.pk).update(user=user)
        resident.refresh_from_db()
    return resident.user
