"""The program's limits on requests, as sentences a resident can act on (pure: no ORM).

A request is refused, with every reason at once, when a week lies outside the academic year
or before the current week (history: issue 11), falls in a blackout (vacation), would take
the resident over the year's vacation allotment, or comes later than the notice the program
asks for. A director recording a request on a resident's behalf is not held to the notice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable


def _day(day: datetime.date) -> str:
    return f"{day:%a %d %b %Y}"


def week_refusals(
    *,
    weeks: Iterable[datetime.date],
    year_name: str,
    year_start: datetime.date,
    year_weeks: int,
    today: datetime.date,
    notice_days: int | None,
) -> list[str]:
    """Reasons `weeks` (Mondays) cannot be asked for; `notice_days` None skips the notice."""
    reasons: list[str] = []
    this_monday = today - datetime.timedelta(days=today.weekday())
    year_end = year_start + datetime.timedelta(weeks=year_weeks)
    for week in sorted(set(weeks)):
        if week.weekday() != 0:
            reasons.append(f"{_day(week)} is not the Monday a week starts on.")
        elif not year_start <= week < year_end:
            reasons.append(
                f"The week of {_day(week)} is outside the academic year {year_name} "
                f"({_day(year_start)} to {_day(year_end - datetime.timedelta(days=1))})."
            )
        elif week < this_monday:
            reasons.append(
                f"The week of {_day(week)} is in the past; weeks before the current week "
                "cannot be requested."
            )
        elif notice_days is not None and (week - today).days < notice_days:
            due = week - datetime.timedelta(days=notice_days)
            reasons.append(
                f"Too late for the week of {_day(week)}: requests are due {notice_days} days "
                f"ahead (by {_day(due)})."
            )
    return reasons


def vacation_refusals(
    *,
    weeks: Iterable[datetime.date],
    blackout: Iterable[datetime.date],
    taken: int,
    allotment: int,
    year_name: str,
) -> list[str]:
    """Reasons a vacation of `weeks` is refused: blackout weeks and the year's allotment
    (`taken`: the resident's approved and pending vacation weeks of that year)."""
    weeks = sorted(set(weeks))
    reasons = [
        f"The week of {_day(week)} is a blackout week: no vacation is given then."
        for week in weeks
        if week in set(blackout)
    ]
    if taken + len(weeks) > allotment:
        reasons.append(
            f"Over the allotment: {allotment} vacation weeks a year; you already have {taken} "
            f"in {year_name} (approved or pending) and this asks for {len(weeks)} more."
        )
    return reasons
