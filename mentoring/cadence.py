"""Is a mentorship keeping the program's expected meeting cadence? Pure functions, no ORM.

A program expects a meeting every `mentoring_meeting_interval_days` (91: quarterly) and a
formal career conference every `mentoring_conference_interval_days` (365: yearly). Both
clocks start at the mentorship's start date and restart at each meeting of their kind; a
career conference also counts as a meeting.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

#: A mentorship is "due soon" this many days before its next meeting or conference is due.
DUE_SOON_DAYS = 14


class Status(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "due_soon": "Due soon", "overdue": "Overdue"}[self.value]

    @property
    def badge(self) -> str:
        """The Bootstrap badge class pages show this status with."""
        return {
            "on_track": "text-bg-success",
            "due_soon": "text-bg-warning",
            "overdue": "text-bg-danger",
        }[self.value]


@dataclass(frozen=True)
class Cadence:
    """Where a mentorship stands. `due_on` is the earlier of the two due dates."""

    status: Status
    next_meeting_due: datetime.date
    next_conference_due: datetime.date
    due_on: datetime.date
    days_left: int  # negative when overdue
    what_is_due: str  # "a meeting" or "a career conference"

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def mentorship_status(
    *,
    started_on: datetime.date,
    last_meeting_on: datetime.date | None,
    last_conference_on: datetime.date | None,
    today: datetime.date,
    meeting_interval_days: int,
    conference_interval_days: int,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Cadence:
    """Return the mentorship's cadence: overdue once today is past the earlier due date,
    due soon within `due_soon_days` of it, on track otherwise.

    `last_meeting_on` is the last meeting of any kind (a career conference is a meeting);
    without one, the clocks run from `started_on`.
    """
    meeting_due = (last_meeting_on or started_on) + datetime.timedelta(days=meeting_interval_days)
    conference_due = (last_conference_on or started_on) + datetime.timedelta(
        days=conference_interval_days
    )
    due_on = min(meeting_due, conference_due)
    what = "a career conference" if conference_due < meeting_due else "a meeting"
    days_left = (due_on - today).days
    if days_left < 0:
        status = Status.OVERDUE
    elif days_left <= due_soon_days:
        status = Status.DUE_SOON
    else:
        status = Status.ON_TRACK
    return Cadence(status, meeting_due, conference_due, due_on, days_left, what)
