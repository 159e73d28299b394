"""The navigation's "Requests queue" badge: pending requests and agreed swaps (one query,
only for those who decide them)."""

from django import template

from resident_requests.selectors import queue_pending_count

register = template.Library()


@register.simple_tag
def requests_pending(program, access) -> int | None:
    if program is None or access is None or not getattr(access, "can_schedule", False):
        return None
    return queue_pending_count(program=program)
