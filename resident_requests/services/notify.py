"""Who is told that a request or a swap waits for a decision: the program's chiefs and
directors, in one e-mail per request (sent on commit through `residency.mail`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from programs.models import Program, Role
from residency.mail import email_queue

#: The roles that decide requests and swaps (the queue's readers who are told).
DECIDER_ROLES = (
    Role.Kind.DIRECTOR,
    Role.Kind.ASSOCIATE_DIRECTOR,
    Role.Kind.CHIEF_RESIDENT,
)


def decider_emails(*, program: Program, exclude_users: Iterable = ()) -> list[str]:
    """The e-mail addresses of the program's chiefs and directors, each once, sorted, without
    the people the request is about or who made it (one query)."""
    excluded = {getattr(user, "pk", user) for user in exclude_users if user is not None}
    rows = (
        Role.objects.filter(program=program, kind__in=DECIDER_ROLES)
        .exclude(user__email="")
        .exclude(user_id__in=excluded)
        .values_list("user__email", flat=True)
    )
    return sorted({email.lower(): email for email in rows}.values())


def deciders_notify(*, program: Program, subject: str, lines: list[str], exclude_users) -> None:
    """Queue one e-mail to every decider of `program` (none when nobody is left)."""
    to = decider_emails(program=program, exclude_users=exclude_users)
    if not to:
        return
    url = reverse("resident_requests:queue", args=[program.slug])
    body = "\n\n".join([*lines, f"Decide it in the requests queue: {url}"])
    email_queue(subject=subject, body=body, to=to)
