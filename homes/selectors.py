"""What needs each role now: one selector per role, each a fixed number of queries whatever
the program's size (pinned in tests/homes/test_selectors.py).

This app sits above the others (programs <- scheduling <- compliance, mentoring): it only
reads, through their models and selectors, and owns no table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.models import Invitation
from compliance.facts import year_for_date
from compliance.models import ComplianceRun, Finding
from compliance.presenters import balance_page
from compliance.selectors import resident_stored_compliance
from mentoring.cadence import Status
from mentoring.models import ActionItem, Mentorship
from mentoring.selectors.mentorships import mentorship_rows
from programs.models import AcademicYear, Faculty, Program, Resident, ResidentRequest, StaffingRule
from resident_requests.models import Swap
from scheduling.models import Assignment, BuildJob, ScheduleVersion, VersionResident

#: How many rows a home page lists of each kind; the card says how many more there are.
LIST_LIMIT = 8


@dataclass(frozen=True)
class CoverageGap:
    """A service short of residents in one week of the published schedule."""

    week: int
    week_start: datetime.date
    rotation_name: str
    rotation_color: str
    levels: str
    staffed: int
    minimum: int

    @property
    def missing(self) -> int:
        return self.minimum - self.staffed


def _current_year(program: Program, today: datetime.date) -> AcademicYear | None:
    """The academic year containing today (else the nearest started one), with its schedule
    and published version (one query)."""
    years = list(
        AcademicYear.objects.for_program(program)
        .select_related("schedule__published_version")
        .order_by("start")
    )
    return year_for_date(years, today)


def _schedule_of(year: AcademicYear | None):
    return getattr(year, "schedule", None) if year is not None else None


@dataclass(frozen=True)
class PendingItem:
    """A request or an agreed swap waiting for a chief's or director's decision."""

    kind: str  # "request" | "swap"
    resident: Resident
    label: str  # "Vacation", "Swap with Ana Ruiz"
    rotation_name: str
    first_week: datetime.date | None
    created_at: datetime.datetime
    obj: object


def pending_requests(*, program: Program) -> list[PendingItem]:
    """The program's requests waiting for a decision and its swaps both residents agreed to
    (which wait for a chief or director too), oldest first (two queries)."""
    items = [
        PendingItem(
            kind="request",
            resident=request.resident,
            label=request.get_kind_display(),
            rotation_name=request.rotation.name if request.rotation else "",
            first_week=datetime.date.fromisoformat(request.weeks[0]) if request.weeks else None,
            created_at=request.created_at,
            obj=request,
        )
        for request in ResidentRequest.objects.filter(
            resident__program=program, status=ResidentRequest.Status.PENDING
        ).select_related("resident", "rotation")
    ]
    swaps = Swap.objects.filter(program=program, status=Swap.Status.ACCEPTED).select_related(
        "offered_by", "partner", "schedule__academic_year"
    )
    for swap in swaps:
        year = swap.schedule.academic_year
        weeks = sorted([*swap.weeks, *swap.partner_weeks])
        items.append(
            PendingItem(
                kind="swap",
                resident=swap.offered_by,
                label=f"Swap with {swap.partner.name}",
                rotation_name="",
                first_week=year.week_start(weeks[0]) if weeks else None,
                created_at=swap.created_at,
                obj=swap,
            )
        )
    return sorted(items, key=lambda item: (item.created_at, item.kind, item.obj.pk))


def coverage_gaps(*, version: ScheduleVersion | None, weeks: list[int]) -> list[CoverageGap]:
    """Staffing shortfalls of `version` in `weeks`: every staffing rule whose minimum is not
    met (three queries: residents' PGY in the version, the weeks' assignments, the rules)."""
    if version is None or not weeks:
        return []
    year = version.schedule.academic_year
    pgy_of = dict(VersionResident.objects.filter(version=version).values_list("resident_id", "pgy"))
    counts: dict[tuple[int, int, int], int] = {}
    for resident_id, week, rotation_id in Assignment.objects.filter(
        version=version, week__in=weeks
    ).values_list("resident_id", "week", "rotation_id"):
        key = (rotation_id, week, pgy_of.get(resident_id, 0))
        counts[key] = counts.get(key, 0) + 1
    gaps = []
    rules = (
        StaffingRule.objects.filter(rotation__program_id=version.schedule.program_id)
        .filter(min_residents__gt=0)
        .select_related("rotation")
        .order_by("rotation__position", "position")
    )
    for rule in rules:
        for week in weeks:
            staffed = sum(
                counts.get((rule.rotation_id, week, level), 0) for level in rule.pgy_levels
            )
            if staffed < rule.min_residents:
                gaps.append(
                    CoverageGap(
                        week=week,
                        week_start=year.week_start(week),
                        rotation_name=rule.rotation.name,
                        rotation_color=rule.rotation.color,
                        levels="PGY-" + "/".join(str(v) for v in rule.pgy_levels),
                        staffed=staffed,
                        minimum=rule.min_residents,
                    )
                )
    return sorted(gaps, key=lambda g: (g.week, g.rotation_name))


def _this_week_and_next(year: AcademicYear | None, today: datetime.date) -> list[int]:
    if year is None:
        return []
    week = year.week_index(today)
    if week is None:
        return []
    return [w for w in (week, week + 1) if w < year.weeks]


def home_director(*, program: Program, today: datetime.date) -> dict:
    """For directors, associate directors and chief residents: pending requests, critical
    compliance findings, overdue mentorships, coverage gaps this week and next in the
    published schedule, builds running. Nine queries at most, whatever the program's size."""
    year = _current_year(program, today)
    schedule = _schedule_of(year)
    published = schedule.published_version if schedule else None
    run = (
        ComplianceRun.objects.filter(schedule=schedule).order_by("-created_at", "-pk").first()
        if schedule
        else None
    )
    critical = (
        list(
            Finding.objects.filter(run=run, severity=Finding.Severity.CRITICAL)
            .select_related("resident")
            .order_by("rule_id", "resident__name", "pk")[:LIST_LIMIT]
        )
        if run and run.critical_count
        else []
    )
    overdue = [
        row
        for row in mentorship_rows(
            mentorships=Mentorship.objects.filter(program=program).order_by(), today=today
        )
        if row.cadence.status is Status.OVERDUE
    ]
    builds = list(
        BuildJob.objects.filter(
            schedule__program=program,
            status__in=[BuildJob.Status.QUEUED, BuildJob.Status.RUNNING],
        )
        .select_related("schedule__academic_year", "requested_by")
        .order_by("created_at")
    )
    if published is not None:
        published.schedule = schedule  # the version's year without another query
    return {
        "year": year,
        "published": published,
        "requests": pending_requests(program=program),
        "compliance_run": run,
        "critical": critical,
        "critical_total": run.critical_count if run else 0,
        "overdue": overdue,
        "gaps": coverage_gaps(version=published, weeks=_this_week_and_next(year, today)),
        "builds": builds,
    }


def home_coordinator(*, program: Program, now: datetime.datetime) -> dict:
    """For coordinators: invitations waiting for an answer (and expired ones to resend), and
    roster issues: residents and mentors with no account and no invitation on its way, and
    residents on the roster without a cohort. Three queries."""
    invitations = list(
        Invitation.objects.filter(program=program, accepted_at__isnull=True).order_by("-created_at")
    )
    waiting = [i for i in invitations if i.expires_at > now]
    expired = [i for i in invitations if i.expires_at <= now]
    invited_residents = {i.resident_id for i in waiting if i.resident_id}
    invited_faculty = {i.faculty_id for i in waiting if i.faculty_id}
    residents = [
        r
        for r in Resident.objects.filter(
            program=program,
            user__isnull=True,
            status__in=[Resident.Status.ACTIVE, Resident.Status.LEAVE],
        ).order_by("pgy", "name")
        if r.pk not in invited_residents
    ]
    mentors = [
        f
        for f in Faculty.objects.filter(
            program=program, user__isnull=True, mentor_capacity__gt=0
        ).order_by("name")
        if f.pk not in invited_faculty
    ]
    return {
        "waiting": waiting,
        "expired": expired,
        "residents_without_account": residents,
        "mentors_without_account": mentors,
        "issue_count": len(residents) + len(mentors) + len(expired),
    }


def home_mentor(*, faculty: Faculty, today: datetime.date) -> dict:
    """For mentors: their mentees grouped by cadence status (overdue first), the open action
    items of current mentorships, and the next meetings due, soonest first. Two queries."""
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
    groups = [(status, [r for r in rows if r.cadence.status is status]) for status in Status]
    groups.sort(key=lambda g: [Status.OVERDUE, Status.DUE_SOON, Status.ON_TRACK].index(g[0]))
    return {
        "rows": rows,
        "groups": [(status, members) for status, members in groups if members],
        "open_items": open_items,
        "next_meetings": sorted(rows, key=lambda r: (r.cadence.due_on, r.mentorship.pk)),
        "today": today,
    }


def home_resident(*, program: Program, resident: Resident, today: datetime.date) -> dict:
    """For residents: where they are this week and next (published schedule), their open
    requests, their ambulatory balance at a glance and their next mentoring meeting.
    Eight queries."""
    years = list(
        AcademicYear.objects.for_program(program)
        .select_related("schedule__published_version")
        .order_by("start")
    )
    year = year_for_date(years, today)
    schedule = _schedule_of(year)
    published = schedule.published_version if schedule else None
    weeks = _this_week_and_next(year, today)
    placed = {}
    if published is not None and weeks:
        placed = {
            a.week: a.rotation
            for a in Assignment.objects.filter(
                version=published, resident=resident, week__in=weeks
            ).select_related("rotation")
        }
    coming = [
        {"week": w, "start": year.week_start(w), "rotation": placed.get(w), "is_current": i == 0}
        for i, w in enumerate(weeks)
    ]
    open_requests = list(
        resident.requests.filter(status=ResidentRequest.Status.PENDING)
        .select_related("rotation")
        .order_by("created_at", "pk")
    )
    stored = resident_stored_compliance(resident=resident)
    tiles = []
    if stored["run"] is not None:
        tiles = balance_page(stored["run"], resident, year, stored["findings"])["tiles"][:2]
    rows = mentorship_rows(mentorships=Mentorship.objects.filter(resident=resident), today=today)
    return {
        "year": year,
        "published": published,
        "coming": coming,
        "open_requests": open_requests,
        "balance_tiles": tiles,
        "finding_count": len(stored["findings"]),
        "mentoring": rows[0] if rows else None,
    }
