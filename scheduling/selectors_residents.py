"""Read-side queries of what a resident (or anyone with a feed) sees of the schedule: their
published weeks per year, the calendar feeds they may hold, their wishes in a version.

Each runs a fixed number of queries whatever the program's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from programs.models import AcademicYear, Faculty, Program, Resident, Role, Rotation
from scheduling.models import Assignment, ScheduleVersion, WishQuestion
from scheduling.selectors import version_problem, version_rows


@dataclass
class ResidentYearPlan:
    year: AcademicYear
    version: ScheduleVersion
    weeks: list[tuple[datetime.date, Rotation | None]]
    runs: list[dict]


def resident_published_plans(*, resident: Resident) -> list[ResidentYearPlan]:
    """The resident's published weeks, one plan per academic year (three queries)."""
    versions = {
        v.pk: v
        for v in ScheduleVersion.objects.filter(
            schedule__program_id=resident.program_id, status=ScheduleVersion.Status.PUBLISHED
        ).select_related("schedule__academic_year")
    }
    rotations = {r.pk: r for r in Rotation.objects.filter(program_id=resident.program_id)}
    cells: dict[int, dict[int, int]] = defaultdict(dict)
    for version_id, week, rotation_id in Assignment.objects.filter(
        resident=resident, version_id__in=list(versions)
    ).values_list("version_id", "week", "rotation_id"):
        cells[version_id][week] = rotation_id
    plans = []
    for version_id, version in versions.items():
        if version_id not in cells:
            continue
        year = version.schedule.academic_year
        weeks = [
            (year.week_start(w), rotations.get(cells[version_id].get(w))) for w in range(year.weeks)
        ]
        runs: list[dict] = []
        for index, (start, rotation) in enumerate(weeks):
            if runs and runs[-1]["rotation"] == rotation and runs[-1]["last"] == index - 1:
                runs[-1]["last"] = index
                runs[-1]["end"] = start + datetime.timedelta(days=6)
            else:
                runs.append(
                    {
                        "rotation": rotation,
                        "first": index,
                        "last": index,
                        "start": start,
                        "end": start + datetime.timedelta(days=6),
                    }
                )
        for run in runs:
            run["weeks"] = run["last"] - run["first"] + 1
        plans.append(ResidentYearPlan(year=year, version=version, weeks=weeks, runs=runs))
    return sorted(plans, key=lambda p: p.year.start)


@dataclass
class FeedChoices:
    """The feeds a person may hold in one program, and those they hold."""

    program: Program
    mentors: bool  # they have a faculty record there: a feed of their mentoring meetings
    roster: bool  # they see the roster there: a feed per service
    rotations: list[Rotation]
    mentor_feed: object | None = None  # their live CalendarFeed of each kind
    service_feeds: list = None


def calendar_feed_choices(*, user) -> list[FeedChoices]:
    """Per program where `user` holds a role, the mentor and service feeds they may have
    and the live ones they have, by program name (four queries)."""
    from scheduling.models import CalendarFeed

    roles: dict[int, set[str]] = defaultdict(set)
    programs: dict[int, Program] = {}
    for role in Role.objects.filter(user=user).select_related("program"):
        roles[role.program_id].add(role.kind)
        programs[role.program_id] = role.program
    mentoring = set(
        Faculty.objects.filter(user=user, program_id__in=programs).values_list(
            "program_id", flat=True
        )
    )
    roster = {
        pk
        for pk, kinds in roles.items()
        if kinds & (Role.SCHEDULING | {Role.Kind.FACULTY}) or user.is_superuser
    }
    rotations: dict[int, list[Rotation]] = defaultdict(list)
    for rotation in Rotation.objects.filter(program_id__in=roster).order_by("position", "code"):
        rotations[rotation.program_id].append(rotation)
    feeds = CalendarFeed.objects.filter(
        user=user, revoked_at__isnull=True, program_id__in=programs
    ).select_related("rotation")
    choices = {
        pk: FeedChoices(
            program=program,
            mentors=pk in mentoring,
            roster=pk in roster,
            rotations=rotations[pk],
            service_feeds=[],
        )
        for pk, program in programs.items()
    }
    for feed in feeds.order_by("rotation__position", "rotation__code"):
        if feed.kind == CalendarFeed.Kind.MENTOR:
            choices[feed.program_id].mentor_feed = feed
        elif feed.kind == CalendarFeed.Kind.SERVICE:
            choices[feed.program_id].service_feeds.append(feed)
    found = [c for c in choices.values() if c.mentors or c.roster]
    return sorted(found, key=lambda c: (c.program.name, c.program.slug))


@dataclass
class WishLine:
    """One of a resident's wishes in a version: met or not, and the question asked about it."""

    index: int
    text: str
    unmet: str  # "" when met, else e.g. "2 weeks short" / "on it 1 avoided week"
    question: WishQuestion | None


def resident_wishes(*, version: ScheduleVersion, resident: Resident) -> list[WishLine]:
    """The resident's wishes (numbered as ``solver.whynot.wishes_of``) and whether
    ``version`` meets them, with any "why not?" question asked about them (a fixed number
    of queries: the program's rules, the version's rows, the questions)."""
    from scheduling.solver.report import unmet_wishes
    from scheduling.solver.whynot import describe_wish, wishes_of

    problem = version_problem(version=version).with_cohorts()
    spec = next((r for r in problem.residents if r.id == resident.external_id), None)
    if spec is None:
        return []
    row = version_rows(version=version).get(resident.external_id, [])
    short = {(kind, code): weeks for kind, code, weeks, _ in unmet_wishes(problem, spec, row)}
    asked = {
        q.wish_index: q for q in WishQuestion.objects.filter(version=version, resident=resident)
    }
    lines = []
    for index, wish in enumerate(wishes_of(problem, spec.id)):
        weeks = short.get((wish[0], wish[1]), 0)
        unmet = ""
        if weeks and wish[0] == "prefer":
            unmet = f"{weeks} week{'s' if weeks > 1 else ''} short"
        elif weeks:
            unmet = f"on {wish[1]} in {weeks} of the avoided weeks"
        lines.append(WishLine(index, describe_wish(wish), unmet, asked.get(index)))
    return lines
