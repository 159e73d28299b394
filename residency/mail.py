"""E-mail through Celery: every e-mail the app sends is handed to `send_email` once the
transaction commits, so no request waits on a mail server and a server that is down is
tried again with backoff (issue 9, operations).

Delivery is at least once: a worker that dies after sending but before acknowledging
(acks_late) sends that one e-mail again.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(
    name="residency.mail.send_email",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),  # refused, reset, timed out, 4xx/5xx
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def send_email(*, subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one e-mail (one SMTP transaction for all of `to`); returns the number sent."""
    return send_mail(subject, body, from_email, to, fail_silently=False)


def email_queue(
    *, subject: str, body: str, to: Sequence[str], from_email: str | None = None
) -> None:
    """Send an e-mail through the worker once the current transaction commits.

    If the broker cannot take it, the e-mail is sent at once instead (slower, not lost), and
    a failure of that too is logged rather than raised: the change it reports is committed.
    """
    message = {"subject": subject, "body": body, "to": list(to), "from_email": from_email}
    transaction.on_commit(lambda: _hand_over(message))


def _hand_over(message: dict) -> None:
    try:
        send_email.delay(**message)
    except Exception:  # kombu's OperationalError: the broker is down
        logger.warning("Mail queue unavailable; sending %r directly", message["subject"])
        try:
            send_email(**message)
        except Exception:
            logger.exception("Could not send %r to %s", message["subject"], message["to"])
