"""An e-mail backend for development: one log line per e-mail instead of its whole text.

`make run` used to print every e-mail in full on the console: publishing a schedule or
seeding the demo printed 72 of them. This backend logs who, what and how long, one line each
("E-mail to lee@example.org: Your schedule changed (2026-2027), 412 characters"); set
MAIL_LOG_BODIES=1 to see bodies too (links in invitations, for instance).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("residency.mail")


def summary_line(message) -> str:
    """One line about an e-mail: recipients (the first, then how many more), subject, size."""
    to = list(message.to) + list(message.cc) + list(message.bcc)
    who = to[0] if to else "nobody"
    if len(to) > 1:
        who += f" (+{len(to) - 1} more)"
    return f"E-mail to {who}: {message.subject}, {len(message.body or ''):,} characters"


class SummaryConsoleBackend(BaseEmailBackend):
    """Logs one INFO line per e-mail on `residency.mail`; sends nothing."""

    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            logger.info(summary_line(message))
            if getattr(settings, "MAIL_LOG_BODIES", False):
                logger.info("%s", message.body)
            count += 1
        return count
