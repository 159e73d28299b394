"""Reads for the year's safe change (issue 11): what a draft changes before anyone publishes
it, and who is on which service in a week of the published schedule.

Both read a fixed number of queries whatever the program's size.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from programs.models import AcademicYear, Program, Resident, Rotation
from scheduling.models import Assignment, ScheduleVersion, VersionResident
from scheduling.selectors import version_diff, version_violations


@dataclass
class ChangeSummary:
    """What `version` changes against `against` (the published version, else its parent):
    cells and residents, and hard-rule violations before and after, rule by rule."""

    against: ScheduleVersion
    cells: int
    residents: list[dict]
    violations_before: int
    violations_after: int
    rules: list[dict] = field(default_factory=list)
    # The version's broken hard rules in words (residents named as `hard_rules` names them).
    messages: list[str] = field(default_factory=list)

    @property
    def rules_fixed(self) -> int:
        return sum(max(0, r["before"] - r["after"]) for r in self.rules)


def version_change_summary(*, version: ScheduleVersion) -> ChangeSummary | None:
    """The diff a director reads before publishing `version`; None when there is nothing to
    compare it with (the first version of a year)."""
    schedule = version.schedule
    against = None
    if schedule.published_version_id and schedule.published_version_id != version.pk:
        against = schedule.published_version
    elif version.parent_id:
        against = version.parent
    if against is None:
        return None
    year = schedule.academic_year
    changes = version_diff(old=against, new=version)
    people = {
        r.external_id: r
        for r in Resident.objects.filter(program_id=schedule.program_id, external_id__in=changes)
    }
    residents = [
        {
            "external_id": rid,
            "name": people[rid].name if rid in people else rid,
            "changes": [
                {"week": w + 1, "date": year.week_start(w), "old": old, "new": new}
                for w, old, new in diff
            ],
        }
        for rid, diff in changes.items()
    ]
    before = Counter(v.rule for v in version_violations(version=against))
    broken = version_violations(version=version)
    after = Counter(v.rule for v in broken)
    rules = [
        {"rule": rule, "before": before[rule], "after": after[rule]}
        for rule in sorted(set(before) | set(after))
    ]
    return ChangeSummary(
        against=against,
        cells=sum(len(d) for d in changes.values()),
        residents=residents,
        violations_before=sum(before.values()),
        violations_after=sum(after.values()),
        rules=rules,
        messages=[v.message for v in broken],
    )


@dataclass
class ServiceWeek:
    """One week of the published schedule: each service with its residents, and who is off."""

    index: int
    start: datetime.date
    services: list[dict]
    vacation: list[dict]
    leave: list[dict]

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)


def on_service_weeks(
    *, program: Program, year: AcademicYear, version: ScheduleVersion, weeks: list[int]
) -> list[ServiceWeek]:
    """Who is on each service (rotation) in `weeks` of the published `version`: residents by
    name and the PGY they have in that version, services in the program's order, vacation
    rotations listed as vacation, and residents with no rotation that week as on leave (no
    leave category: that is for directors only). Three queries."""
    rotations = list(Rotation.objects.filter(program=program).order_by("position", "code"))
    members = {
        m.resident_id: {"name": m.resident.name, "pgy": m.pgy, "id": m.resident_id}
        for m in VersionResident.objects.filter(version=version).select_related("resident")
    }
    cells: dict[int, dict[int, int]] = {w: {} for w in weeks}
    for resident_id, week, rotation_id in Assignment.objects.filter(
        version=version, week__in=weeks
    ).values_list("resident_id", "week", "rotation_id"):
        cells[week][resident_id] = rotation_id

    def ordered(people: list[dict]) -> list[dict]:
        return sorted(people, key=lambda p: (-p["pgy"], p["name"]))

    out = []
    for week in weeks:
        by_rotation: dict[int, list[dict]] = {}
        for resident_id, rotation_id in cells[week].items():
            if resident_id in members:
                by_rotation.setdefault(rotation_id, []).append(members[resident_id])
        services, vacation = [], []
        for rotation in rotations:
            people = ordered(by_rotation.get(rotation.pk, []))
            if rotation.is_vacation:
                vacation.extend({**p, "rotation": rotation.name} for p in people)
            else:
                services.append({"rotation": rotation, "residents": people})
        leave = ordered([p for rid, p in members.items() if rid not in cells[week]])
        out.append(
            ServiceWeek(
                index=week,
                start=year.week_start(week),
                services=services,
                vacation=ordered(vacation),
                leave=leave,
            )
        )
    return out
