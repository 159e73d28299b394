"""The navigation's "Requests queue" badge: pending requests and agreed swaps (one query,
only for those who decide them)."""

import datetime

from django import template

from resident_requests.selectors import queue_pending_count

register = template.Library()


@register.simple_tag
def requests_pending(program, access) -> int | None:
    if program is None or access is None or not getattr(access, "can_schedule", False):
        return None
    return queue_pending_count(program=program)


@register.filter
def week_of(value: str) -> str:
    """An ISO week start ("2027-07-26") as people read it ("Mon 26 Jul 2027")."""
    try:
        return f"{datetime.date.fromisoformat(value):%a %d %b %Y}"
    except (TypeError, ValueError):
        return str(value)
