"""This week on the schedule pages is the program's week, not the server's (one clock)."""

import datetime

import time_machine
from django.urls import reverse

from programs.models import Program
from scheduling.selectors import schedule_current_week

# Monday 5 July 2027, 02:00 UTC: still Sunday 4 July, 19:00, in Los Angeles.
MONDAY_IN_UTC_SUNDAY_IN_LA = datetime.datetime(2027, 7, 5, 2, 0, tzinfo=datetime.UTC)


def test_this_week_of_a_schedule_follows_the_programs_clock(built):
    Program.objects.filter(pk=built.program.pk).update(timezone="America/Los_Angeles")
    year = built.schedule.academic_year
    year.program.refresh_from_db()
    with time_machine.travel(MONDAY_IN_UTC_SUNDAY_IN_LA, tick=False):
        # The year starts Monday 28 June 2027: Sunday 4 July is still its first week.
        assert schedule_current_week(year=year) == 0


def test_the_residents_this_week_follows_the_programs_clock(client, built, two_programs):
    from scheduling.services.versions import version_publish

    Program.objects.filter(pk=built.program.pk).update(timezone="America/Los_Angeles")
    version_publish(version=built.version, by=two_programs.director)
    with time_machine.travel(MONDAY_IN_UTC_SUNDAY_IN_LA, tick=False):
        client.force_login(two_programs.resident_user)  # a session started in 2026 is over
        response = client.get(reverse("scheduling:my_schedule", args=["alpha"]))
    assert response.context["this_week"][0] == datetime.date(2027, 6, 28)
