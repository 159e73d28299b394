"""One clock: today and this week in the program's time zone, on every page that shows them."""

import datetime

import time_machine

from programs.clock import program_today
from tests.factories import ProgramFactory

# Monday 5 July 2027, 02:00 UTC: still Sunday 4 July, 19:00, in Los Angeles.
MONDAY_IN_UTC_SUNDAY_IN_LA = datetime.datetime(2027, 7, 5, 2, 0, tzinfo=datetime.UTC)


def test_today_is_the_programs_date_not_the_servers(db):
    la = ProgramFactory(timezone="America/Los_Angeles")
    berlin = ProgramFactory(timezone="Europe/Berlin")
    with time_machine.travel(MONDAY_IN_UTC_SUNDAY_IN_LA, tick=False):
        assert program_today(la) == datetime.date(2027, 7, 4)
        assert program_today(berlin) == datetime.date(2027, 7, 5)


def test_an_unknown_zone_falls_back_to_utc(db):
    program = ProgramFactory(timezone="Not/AZone")
    with time_machine.travel(MONDAY_IN_UTC_SUNDAY_IN_LA, tick=False):
        assert program_today(program) == datetime.date(2027, 7, 5)
