"""Writes for the roster in the app (residents, faculty) and for whole programs (create, copy).

Like `programs.services.setup`: `full_clean` + save in one transaction, one history event per
change with small before/after snapshots.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from accounts.services import invitation_create
from history.models import Event
from history.services import history_record, history_record_change
from programs.bundle.exporter import bundle_export
from programs.bundle.importer import bundle_import
from programs.models import AcademicYear, Faculty, Program, Resident, Role
from programs.selectors_setup import template_use

RESIDENT_FIELDS = (
    "external_id",
    "name",
    "email",
    "pgy",
    "track",
    "cohort",
    "status",
    "started_on",
    "expected_graduation",
    "interests",
)
FACULTY_FIELDS = (
    "external_id",
    "name",
    "email",
    "mentor_capacity",
    "mentor_status",
    "interests",
    "clinical_area",
)


def _snapshot(obj, fields) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if name == "track":
            value = value.code
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        out[name] = value
    return out


@transaction.atomic
def resident_create(*, program: Program, values: dict[str, Any], by) -> Resident:
    top = Resident.objects.filter(program=program).aggregate(top=Max("position"))["top"]
    resident = Resident(
        program=program,
        position=0 if top is None else top + 1,
        **{name: values[name] for name in RESIDENT_FIELDS if name in values},
    )
    resident.full_clean()
    resident.save()
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Resident {resident.external_id} ({resident.name})",
        resident=resident,
        after=_snapshot(resident, RESIDENT_FIELDS),
        by=by,
    )
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, values: dict[str, Any], by) -> Resident:
    before = _snapshot(resident, RESIDENT_FIELDS)
    changed = [name for name in RESIDENT_FIELDS if name in values]
    for name in changed:
        setattr(resident, name, values[name])
    resident.full_clean()
    resident.save(update_fields=[("track" if name == "track" else name) for name in changed])
    after = _snapshot(resident, RESIDENT_FIELDS)
    history_record_change(
        program=resident.program,
        subject=f"Resident {resident.external_id} ({resident.name})",
        resident=resident,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        by=by,
    )
    return resident


def resident_deactivate(*, resident: Resident, status: str, by) -> Resident:
    """Takes a resident off the roster (graduated or withdrawn): kept, no longer scheduled."""
    return resident_update(resident=resident, values={"status": status}, by=by)


@transaction.atomic
def faculty_create(*, program: Program, values: dict[str, Any], by) -> Faculty:
    member = Faculty(
        program=program, **{name: values[name] for name in FACULTY_FIELDS if name in values}
    )
    member.full_clean()
    member.save()
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Faculty {member.external_id} ({member.name})",
        after=_snapshot(member, FACULTY_FIELDS),
        by=by,
    )
    return member


@transaction.atomic
def faculty_update(*, member: Faculty, values: dict[str, Any], by) -> Faculty:
    before = _snapshot(member, FACULTY_FIELDS)
    changed = [name for name in FACULTY_FIELDS if name in values]
    for name in changed:
        setattr(member, name, values[name])
    member.full_clean()
    member.save(update_fields=changed)
    after = _snapshot(member, FACULTY_FIELDS)
    history_record_change(
        program=member.program,
        subject=f"Faculty {member.external_id} ({member.name})",
        before=before,
        after=after,
        by=by,
    )
    return member


def faculty_deactivate(*, member: Faculty, by) -> Faculty:
    """Takes a faculty member off the mentoring roster (left the program, retired): kept with
    their past mentees and history, no longer offered to residents or paired."""
    return faculty_update(
        member=member, values={"mentor_status": Faculty.MentorStatus.INACTIVE}, by=by
    )


@transaction.atomic
def program_create(
    *,
    slug: str,
    name: str,
    institution: str,
    timezone: str,
    x_weeks: int,
    y_weeks: int,
    cohorts: int,
    year_name: str,
    year_start: datetime.date,
    year_weeks: int,
    director_email: str,
    by,
) -> Program:
    """A new program with its template and first academic year, and who leads it: an existing
    account becomes its director, anyone else gets an invitation as director. When the
    creator is not a site operator, they become a director too (so they can set it up)."""
    program = Program(
        slug=slug,
        name=name,
        institution=institution,
        timezone=timezone,
        x_weeks=x_weeks,
        y_weeks=y_weeks,
        cohorts=cohorts,
    )
    program.full_clean()
    program.save()
    year = AcademicYear(program=program, name=year_name, start=year_start, weeks=year_weeks)
    year.full_clean()
    year.save()
    leader = User.objects.filter(email__iexact=director_email).first()
    if leader is not None:
        Role.objects.create(user=leader, program=program, kind=Role.Kind.DIRECTOR)
    else:
        invitation_create(program=program, email=director_email, role=Role.Kind.DIRECTOR, by=by)
    if by is not None and not by.is_superuser and by != leader:
        Role.objects.get_or_create(user=by, program=program, kind=Role.Kind.DIRECTOR)
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Program {slug}",
        after={
            "slug": slug,
            "name": name,
            "template": f"{x_weeks}+{y_weeks}, {cohorts} cohorts",
            "academic_year": {"name": year_name, "start": year_start.isoformat()},
            "director": director_email,
        },
        by=by,
    )
    return program


SETTINGS_FIELDS = ("name", "institution", "timezone", "x_weeks", "y_weeks", "cohorts")
TEMPLATE_FIELDS = ("x_weeks", "y_weeks", "cohorts")


class TemplateInUse(Exception):  # noqa: N818 (reads as what happened)
    """Raised instead of changing the X+Y template under built schedules; says which year."""


@transaction.atomic
def program_settings_update(*, program: Program, values: dict[str, Any], by) -> Program:
    """The program's name, institution, time zone and X+Y template (`SETTINGS_FIELDS`).
    The template stays as it is once a year has schedule versions built on it
    (`TemplateInUse`, with the reason); the bundle's rules were checked by the form."""
    before = {name: getattr(program, name) for name in SETTINGS_FIELDS}
    changed = [name for name in SETTINGS_FIELDS if name in values and values[name] != before[name]]
    if not changed:
        return program
    if any(name in TEMPLATE_FIELDS for name in changed):
        reason = template_use(program=program)
        if reason:
            raise TemplateInUse(reason)
    for name in changed:
        setattr(program, name, values[name])
    program.full_clean()
    program.save(update_fields=changed)
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CHANGED,
        subject=f"Program {program.slug} settings",
        before={name: before[name] for name in changed},
        after={name: getattr(program, name) for name in changed},
        by=by,
    )
    return program


@transaction.atomic
def program_copy(*, program: Program, slug: str, name: str, with_roster: bool, by) -> Program:
    """A copy of `program` under a new slug, through its bundle (so the copy holds exactly
    what an export holds). The roster is copied only on request; the copier and the source's
    directors become directors of the copy. Raises `BundleInvalid` if the copy is refused."""
    data = bundle_export(program=program)
    data["program"] = data["program"] | {"slug": slug, "name": name}
    if not with_roster:
        data["residents"], data["faculty"] = [], []
    bundle_import(data=data)
    copy = Program.objects.get(slug=slug)
    leaders = set(
        Role.objects.filter(
            program=program, kind__in=[Role.Kind.DIRECTOR, Role.Kind.ASSOCIATE_DIRECTOR]
        ).values_list("user_id", "kind")
    )
    if by is not None and not by.is_superuser:
        leaders.add((by.pk, Role.Kind.DIRECTOR))
    Role.objects.bulk_create(
        [Role(user_id=user_id, program=copy, kind=kind) for user_id, kind in sorted(leaders)],
        ignore_conflicts=True,
    )
    history_record(
        program=copy,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Program {slug} (copy of {program.slug})",
        after={"copied_from": program.slug, "with_roster": with_roster},
        by=by,
    )
    return copy
