"""E-mails about mentoring: overdue reminders to mentors, the directors' weekly digest,
and the note to a resident that a meeting was logged. None contains private notes.

Each reminder and digest is claimed with a conditional update before it is sent, so two
workers running the same beat task cannot both send it, and a task run twice is harmless.
The e-mail goes to the mail task (`residency.mail`) once the claim commits; that task tries
a mail server that is down again, with backoff.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentoring.cadence import Status
from mentoring.models import Meeting, Mentorship
from mentoring.selectors.mentorships import director_dashboard, mentorship_rows
from programs.models import Program, Role
from residency.mail import email_queue

#: A mentorship's reminder, or a program's digest, goes out at most once in this many days.
RESEND_AFTER_DAYS = 7
DIGEST_ROLES = (Role.Kind.DIRECTOR, Role.Kind.ASSOCIATE_DIRECTOR)


def _cutoff(now: datetime.datetime) -> datetime.datetime:
    """Return the moment before which a last sending allows a new one.

    Counted in calendar days (UTC), not to the second: a daily beat task that sent on a
    Monday at 07:00:05 sends again the next Monday at 07:00:03, not a day later.
    """
    day = timezone.localtime(now, datetime.UTC).date()
    start = day - datetime.timedelta(days=RESEND_AFTER_DAYS - 1)
    return datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mentorship_remind(*, mentorship_id: int, now: datetime.datetime | None = None) -> bool:
    """E-mail the mentor of an overdue mentorship; return True if a reminder was sent.

    Nothing is sent when the mentorship ended, is no longer overdue (a meeting was logged),
    the mentor has no e-mail, or a reminder went out in the last 7 days.
    """
    now = now or timezone.now()
    rows = mentorship_rows(mentorships=Mentorship.objects.filter(pk=mentorship_id))
    if not rows or rows[0].cadence.status is not Status.OVERDUE:
        return False
    row = rows[0]
    mentorship = row.mentorship
    if not mentorship.mentor.email:
        return False
    with transaction.atomic():
        claimed = (
            Mentorship.objects.filter(pk=mentorship.pk)
            .filter(
                Q(last_reminder_sent_at__isnull=True) | Q(last_reminder_sent_at__lt=_cutoff(now))
            )
            .update(last_reminder_sent_at=now)
        )
        if not claimed:
            return False
        program = mentorship.program
        context = {
            "mentorship": mentorship,
            "row": row,
            "program": program,
            "log_url": _absolute(
                reverse("mentoring:meeting_create", args=[program.slug, mentorship.pk])
            ),
        }
        email_queue(
            subject=f"Mentoring with {mentorship.resident.name} is overdue",
            body=render_to_string("mentoring/email/reminder.txt", context),
            to=[mentorship.mentor.email],
        )
    return True


def program_digest_send(*, program_id: int, now: datetime.datetime | None = None) -> bool:
    """E-mail the program's directors the weekly mentoring digest; return True if sent.

    At most once in 7 days per program (`Program.mentoring_digest_sent_at`); nothing is sent
    to a program without directors or without active mentorships. Metadata only.
    """
    now = now or timezone.now()
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return False
    recipients = sorted(
        set(
            Role.objects.filter(program=program, kind__in=DIGEST_ROLES)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return False
    summary = director_dashboard(program=program)
    if not summary["rows"]:
        return False
    with transaction.atomic():
        claimed = (
            Program.objects.filter(pk=program.pk)
            .filter(
                Q(mentoring_digest_sent_at__isnull=True)
                | Q(mentoring_digest_sent_at__lt=_cutoff(now))
            )
            .update(mentoring_digest_sent_at=now)
        )
        if not claimed:
            return False
        context = {
            "program": program,
            "summary": summary,
            "overdue": summary["by_status"][Status.OVERDUE.value],
            "dashboard_url": _absolute(reverse("mentoring:index", args=[program.slug])),
        }
        overdue = summary["counts"][Status.OVERDUE.value]
        email_queue(
            subject=f"Mentoring this week in {program.name}: {overdue} overdue",
            body=render_to_string("mentoring/email/digest.txt", context),
            to=recipients,
        )
    return True


def meeting_notify_resident(*, meeting_id: int) -> bool:
    """E-mail the resident that their mentor logged a meeting, asking them to confirm it
    and reflect; return True if sent. Shared parts only: date, kind, topics."""
    meeting = (
        Meeting.objects.select_related(
            "mentorship__resident", "mentorship__mentor", "mentorship__program"
        )
        .only(
            "pk",
            "occurred_on",
            "kind",
            "format",
            "topics",
            "resident_confirmed_at",
            "mentorship__resident__email",
            "mentorship__resident__name",
            "mentorship__mentor__name",
            "mentorship__program__slug",
            "mentorship__program__name",
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.resident_confirmed_at or not meeting.mentorship.resident.email:
        return False
    program = meeting.mentorship.program
    context = {
        "meeting": meeting,
        "url": _absolute(reverse("mentoring:meeting_detail", args=[program.slug, meeting.pk])),
    }
    email_queue(
        subject=f"{meeting.mentorship.mentor.name} logged your mentoring meeting",
        body=render_to_string("mentoring/email/meeting_logged.txt", context),
        to=[meeting.mentorship.resident.email],
    )
    return True
