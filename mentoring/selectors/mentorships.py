"""Read-side queries for mentoring, shaped for the pages, e-mails and calendar that show them.

Pages never get a `Meeting` instance: they get `MeetingView`s, built for one viewer, whose
`private_notes` is None unless the viewer is the mentor, and whose shared parts (goals,
action items, reflection) are None for managers. Querysets for other viewers do not even
read `private_notes` from the database.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mentoring.access import Viewer
from mentoring.cadence import Cadence, Status, mentorship_status
from mentoring.models import ActionItem, Meeting, MentorPreference, Mentorship, PairingProposal
from programs.clock import program_today
from programs.models import Faculty, Program, Resident, Role

#: Residents who can be mentored (graduated and withdrawn residents are not paired).
MENTORED_STATUSES = (Resident.Status.ACTIVE, Resident.Status.LEAVE)


# --- Meetings, as each viewer may see them --------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    """One meeting as `viewer` may see it; a None field is not the viewer's to see."""

    pk: int
    mentorship_id: int
    mentor_name: str
    resident_name: str
    occurred_on: datetime.date
    duration_minutes: int
    format_label: str
    kind: str
    kind_label: str
    topics: list[str]
    confirmed_at: datetime.datetime | None
    open_items: int
    done_items: int
    viewer: Viewer
    goals_discussed: str | None = None
    action_items: list[ActionItem] | None = None
    resident_reflection: str | None = None
    private_notes: str | None = None
    start_time: datetime.time | None = None
    format: str = ""

    @property
    def is_conference(self) -> bool:
        return self.kind == Meeting.Kind.CAREER_CONFERENCE


def _meetings_for(queryset: QuerySet[Meeting], viewer: Viewer) -> QuerySet[Meeting]:
    queryset = queryset.select_related("mentorship__mentor", "mentorship__resident").annotate(
        open_count=Count("action_items", filter=Q(action_items__done_at__isnull=True)),
        done_count=Count("action_items", filter=Q(action_items__done_at__isnull=False)),
    )
    if viewer is not Viewer.MENTOR:
        queryset = queryset.defer("private_notes")
    if viewer is Viewer.MANAGER:
        queryset = queryset.defer("goals_discussed", "resident_reflection")
    else:
        queryset = queryset.prefetch_related(
            Prefetch("action_items", queryset=ActionItem.objects.order_by("due_on", "pk"))
        )
    return queryset


def _view(meeting: Meeting, viewer: Viewer) -> MeetingView:
    shared = viewer is not Viewer.MANAGER
    return MeetingView(
        pk=meeting.pk,
        mentorship_id=meeting.mentorship_id,
        mentor_name=meeting.mentorship.mentor.name,
        resident_name=meeting.mentorship.resident.name,
        occurred_on=meeting.occurred_on,
        duration_minutes=meeting.duration_minutes,
        format_label=meeting.get_format_display(),
        kind=meeting.kind,
        kind_label=meeting.get_kind_display(),
        topics=list(meeting.topics or []),
        confirmed_at=meeting.resident_confirmed_at,
        open_items=meeting.open_count,
        done_items=meeting.done_count,
        viewer=viewer,
        goals_discussed=meeting.goals_discussed if shared else None,
        action_items=list(meeting.action_items.all()) if shared else None,
        resident_reflection=meeting.resident_reflection if shared else None,
        private_notes=meeting.private_notes if viewer is Viewer.MENTOR else None,
        start_time=meeting.start_time,
        format=meeting.format,
    )


def meeting_views(
    *, meetings: QuerySet[Meeting], viewer: Viewer, limit: int | None = None
) -> list[MeetingView]:
    """Return `meetings` (newest first, at most `limit`) as `viewer` may see them: two
    queries whatever their number."""
    queryset = _meetings_for(meetings, viewer).order_by("-occurred_on", "-created_at")
    return [_view(m, viewer) for m in (queryset[:limit] if limit else queryset)]


def meeting_view(*, meeting: Meeting, viewer: Viewer) -> MeetingView:
    """Return one meeting as `viewer` may see it."""
    return meeting_views(meetings=Meeting.objects.filter(pk=meeting.pk), viewer=viewer)[0]


# --- Mentorships and their cadence ------------------------------------------------------------


@dataclass(frozen=True)
class MentorshipRow:
    """An active mentorship with what the dashboards show about it (no meeting content)."""

    mentorship: Mentorship
    cadence: Cadence
    last_meeting_on: datetime.date | None
    meeting_count: int
    open_items: int


def _with_cadence_facts(queryset: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    open_items = (
        ActionItem.objects.filter(meeting__mentorship=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("meeting__mentorship")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("mentor", "resident__track", "program").annotate(
        last_meeting_on=Max("meetings__occurred_on"),
        last_conference_on=Max(
            "meetings__occurred_on", filter=Q(meetings__kind=Meeting.Kind.CAREER_CONFERENCE)
        ),
        meeting_count=Count("meetings"),
        open_items=Coalesce(Subquery(open_items, output_field=IntegerField()), 0),
    )


def cadence_of(mentorship: Mentorship, *, today: datetime.date) -> Cadence:
    """Return the cadence of a mentorship annotated by `_with_cadence_facts`."""
    program = mentorship.program
    return mentorship_status(
        started_on=mentorship.started_on,
        last_meeting_on=mentorship.last_meeting_on,
        last_conference_on=mentorship.last_conference_on,
        today=today,
        meeting_interval_days=program.mentoring_meeting_interval_days,
        conference_interval_days=program.mentoring_conference_interval_days,
    )


_SEVERITY = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.ON_TRACK: 2}


def mentorship_rows(
    *, mentorships: QuerySet[Mentorship], today: datetime.date | None = None
) -> list[MentorshipRow]:
    """Return active `mentorships` with their cadence, most urgent first (one query).

    `today` defaults to today in each mentorship's program time zone.
    """
    rows = []
    for m in _with_cadence_facts(mentorships.filter(ended_on__isnull=True)):
        cadence = cadence_of(m, today=today or program_today(m.program))
        rows.append(MentorshipRow(m, cadence, m.last_meeting_on, m.meeting_count, m.open_items))
    rows.sort(key=lambda r: (_SEVERITY[r.cadence.status], r.cadence.due_on, r.mentorship.pk))
    return rows


def mentorship_cadence(*, mentorship: Mentorship, today: datetime.date | None = None) -> Cadence:
    """Return one mentorship's cadence (it is computed as if it were still active)."""
    annotated = _with_cadence_facts(Mentorship.objects.filter(pk=mentorship.pk)).get()
    return cadence_of(annotated, today=today or program_today(annotated.program))


# --- Dashboards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorLoad:
    faculty: Faculty
    load: int
    overdue: int

    @property
    def over_capacity(self) -> bool:
        return self.load > self.faculty.mentor_capacity

    @property
    def percent(self) -> int:
        capacity = self.faculty.mentor_capacity
        return 100 if capacity == 0 and self.load else min(100, 100 * self.load // (capacity or 1))


def director_dashboard(*, program: Program, today: datetime.date | None = None) -> dict:
    """Return what the director dashboard shows: mentees by status with counts, mentors'
    load against capacity, open action items, residents without a mentor, recent
    proposals. Metadata only: no meeting content. Six queries, whatever the program's size.
    """
    today = today or program_today(program)
    rows = mentorship_rows(
        mentorships=Mentorship.objects.filter(program=program).order_by(), today=today
    )
    counts = Counter(row.cadence.status for row in rows)
    load = Counter(row.mentorship.mentor_id for row in rows)
    overdue = Counter(
        row.mentorship.mentor_id for row in rows if row.cadence.status is Status.OVERDUE
    )
    mentors = [
        MentorLoad(f, load[f.pk], overdue[f.pk])
        for f in Faculty.objects.for_program(program).order_by("name")
        if f.mentor_capacity or load[f.pk]
    ]
    unpaired = list(
        Resident.objects.filter(program=program, status__in=MENTORED_STATUSES)
        .exclude(
            pk__in=Mentorship.objects.filter(program=program, ended_on__isnull=True).values(
                "resident_id"
            )
        )
        .select_related("track")
        .order_by("pgy", "name")
    )
    recent = Meeting.objects.filter(
        mentorship__program=program, occurred_on__gt=today - datetime.timedelta(days=90)
    ).count()
    proposals = list(
        PairingProposal.objects.filter(program=program)
        .annotate(pair_count=Count("pairs"))
        .order_by("-created_at")[:5]
    )
    return {
        "rows": rows,
        "by_status": {s.value: [r for r in rows if r.cadence.status is s] for s in Status},
        "counts": {s.value: counts[s] for s in Status},
        "mentors": mentors,
        "capacity_total": sum(m.faculty.mentor_capacity for m in mentors),
        "open_items_total": sum(row.open_items for row in rows),
        "unpaired": unpaired,
        "meetings_last_90_days": recent,
        "proposals": proposals,
        "today": today,
    }


def mentor_dashboard(*, faculty: Faculty, today: datetime.date | None = None) -> dict:
    """Return the mentor's page: their mentees with cadence, open action items of current
    mentorships, recent meetings (shared parts) and former mentees."""
    today = today or program_today(faculty.program)
    rows = mentorship_rows(mentorships=Mentorship.objects.filter(mentor=faculty), today=today)
    open_items = list(
        ActionItem.objects.filter(
            meeting__mentorship__mentor=faculty,
            meeting__mentorship__ended_on__isnull=True,
            done_at__isnull=True,
        )
        .select_related("meeting__mentorship__resident")
        .defer("meeting__private_notes")
        .order_by("due_on", "pk")
    )
    recent = meeting_views(
        meetings=Meeting.objects.filter(mentorship__mentor=faculty), viewer=Viewer.MENTOR, limit=8
    )
    former = list(
        Mentorship.objects.filter(mentor=faculty, ended_on__isnull=False)
        .select_related("resident")
        .order_by("-ended_on")
    )
    return {
        "rows": rows,
        "open_items": open_items,
        "recent_meetings": recent,
        "former": former,
        "today": today,
    }


def resident_mentoring(*, resident: Resident, today: datetime.date | None = None) -> dict:
    """Return the resident's page: their current mentor and cadence, the shared parts of
    every meeting of theirs, open action items, and their profile and ranked preferences."""
    today = today or program_today(resident.program)
    rows = mentorship_rows(mentorships=Mentorship.objects.filter(resident=resident), today=today)
    meetings = meeting_views(
        meetings=Meeting.objects.filter(mentorship__resident=resident), viewer=Viewer.RESIDENT
    )
    open_items = [
        (meeting, item)
        for meeting in meetings
        for item in meeting.action_items or []
        if item.done_at is None
    ]
    preferences = list(MentorPreference.objects.filter(resident=resident).select_related("faculty"))
    former = list(
        Mentorship.objects.filter(resident=resident, ended_on__isnull=False)
        .select_related("mentor")
        .order_by("-ended_on")
    )
    return {
        "current": rows[0] if rows else None,
        "meetings": meetings,
        "open_items": open_items,
        "preferences": preferences,
        "former": former,
        "today": today,
    }


# --- Calendar feed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarMeeting:
    """An all-day calendar entry for a mentoring meeting; never any private content."""

    uid: str
    date: datetime.date
    title: str
    description: str


def meetings_for_calendar(*, user) -> list[CalendarMeeting]:
    """Return the meetings `user` had as a mentor or as a resident, in every program where
    they hold a role, as calendar entries: who, kind, format, duration and topics. The query
    reads no private notes, goals, reflections or action items. One query."""
    if user is None or not user.is_authenticated:
        return []
    meetings = (
        Meeting.objects.filter(
            Q(mentorship__mentor__user=user) | Q(mentorship__resident__user=user),
            mentorship__program__in=Role.objects.filter(user=user).values("program"),
        )
        .select_related("mentorship__mentor", "mentorship__resident", "mentorship__program")
        .only(
            "pk",
            "occurred_on",
            "duration_minutes",
            "format",
            "kind",
            "topics",
            "mentorship__mentor__name",
            "mentorship__mentor__user_id",
            "mentorship__resident__name",
            "mentorship__program__name",
        )
        .order_by("occurred_on", "pk")
    )
    entries = []
    for meeting in meetings:
        mentorship = meeting.mentorship
        what = (
            "Career conference"
            if meeting.kind == Meeting.Kind.CAREER_CONFERENCE
            else "Mentoring meeting"
        )
        if mentorship.mentor.user_id == user.pk:
            title = f"{what} with {mentorship.resident.name} (mentee)"
        else:
            title = f"{what} with {mentorship.mentor.name} (mentor)"
        description = (
            f"{mentorship.program.name}. {meeting.get_format_display()}, "
            f"{meeting.duration_minutes} min."
        )
        if meeting.topics:
            description += " Topics: " + ", ".join(meeting.topics) + "."
        entries.append(
            CalendarMeeting(
                uid=f"mentoring-meeting-{meeting.pk}@residency",
                date=meeting.occurred_on,
                title=title,
                description=description,
            )
        )
    return entries


# --- Reminders -------------------------------------------------------------------------------


def overdue_mentorship_ids() -> list[int]:
    """Return the ids of active mentorships, in every program, that are overdue today in
    their program's time zone. One query."""
    rows = mentorship_rows(mentorships=Mentorship.objects.all())
    return [row.mentorship.pk for row in rows if row.cadence.status is Status.OVERDUE]


def programs_with_mentorships() -> list[int]:
    """Return the ids of programs that have at least one active mentorship."""
    active = Mentorship.objects.filter(ended_on__isnull=True).values("program_id")
    return list(Program.objects.filter(pk__in=active).values_list("pk", flat=True).order_by("pk"))
