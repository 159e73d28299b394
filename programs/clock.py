"""One clock: "today" and "now" where the program is, not where the server is.

Every page, job and command that asks for today's date or this week asks here, with the
program: a US program's Sunday evening is already Monday in UTC, and "this week" must not
jump a week early.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone


def program_zone(program) -> datetime.tzinfo:
    """The program's time zone (``Program.timezone``, IANA); UTC when it is not one."""
    try:
        return zoneinfo.ZoneInfo(program.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return datetime.UTC


def program_now(program) -> datetime.datetime:
    """The current moment, aware, in the program's time zone."""
    return timezone.now().astimezone(program_zone(program))


def program_today(program) -> datetime.date:
    """Today's date where the program is."""
    return program_now(program).date()
