"""Writes for setting a program up in the browser: tracks, rotations, requirements, years.

Each function checks the model (`full_clean`), saves, and records one history event
(SETUP_CREATED / SETUP_CHANGED / SETUP_DELETED, with the record as the bundle writes it before
and after) in the same transaction. The bundle's rules (min <= max, unique codes, Mondays...)
are checked before these are called, by the forms, with `programs.bundle.record_check`.
Deleting something a schedule or a resident still uses raises `InUse` with the reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from history.models import Event
from history.services import history_record, history_record_change
from programs.bundle.exporter import requirement_record, rotation_record, track_record
from programs.models import (
    AcademicYear,
    Program,
    Requirement,
    Rotation,
    StaffingRule,
    Track,
)
from programs.selectors_setup import (
    rotation_use,
    track_use,
    year_use,
)


class InUse(Exception):  # noqa: N818 (reads as what happened)
    """Raised instead of deleting something that is still used; the message says where."""


def _delete(obj, *, in_use: str, before: dict[str, Any], subject: str, by) -> None:
    """Delete a set-up record of a program unless something uses it (``in_use`` says what:
    refused with ``InUse``), and keep what it was in the program's history."""
    if in_use:
        raise InUse(in_use)
    program = obj.program
    obj.delete()
    history_record(
        program=program, kind=Event.Kind.SETUP_DELETED, subject=subject, before=before, by=by
    )


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


# Tracks -----------------------------------------------------------------------------------


@transaction.atomic
def track_create(
    *, program: Program, code: str, name: str, ambulatory: tuple[Decimal, Decimal], by
) -> Track:
    track = Track(
        program=program,
        code=code,
        name=name,
        ambulatory_min=ambulatory[0],
        ambulatory_max=ambulatory[1],
        position=_next_position(Track.objects.for_program(program)),
    )
    track.full_clean()
    track.save()
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Track {code}",
        after=track_record(track),
        by=by,
    )
    return track


@transaction.atomic
def track_update(
    *, track: Track, code: str, name: str, ambulatory: tuple[Decimal, Decimal], by
) -> Track:
    before = track_record(track)
    track.code, track.name = code, name
    track.ambulatory_min, track.ambulatory_max = ambulatory
    track.full_clean()
    track.save(update_fields=["code", "name", "ambulatory_min", "ambulatory_max"])
    after = track_record(track)
    history_record_change(
        program=track.program,
        subject=f"Track {code}",
        before=before,
        after=after,
        by=by,
    )
    return track


@transaction.atomic
def track_delete(*, track: Track, by) -> None:
    before, subject = track_record(track), f"Track {track.code}"
    _delete(track, in_use=track_use(track=track), before=before, subject=subject, by=by)


# Rotations --------------------------------------------------------------------------------

ROTATION_FIELDS = (
    "code",
    "name",
    "setting",
    "phase",
    "color",
    "max_consecutive_weeks",
    "min_run_weeks",
    "intense",
    "experiences",
)


def _rotation_snapshot(rotation: Rotation) -> dict[str, Any]:
    return rotation_record(rotation) | {
        "color": rotation.color,
        "experiences": list(rotation.experiences),
    }


def _set_staffing(rotation: Rotation, staffing: list[dict[str, Any]]) -> None:
    """Replaces the rotation's staffing rules with `staffing` (`pgy`, `min`, `max`)."""
    rotation.staffing.all().delete()
    rules = [
        StaffingRule(
            rotation=rotation,
            pgy_levels=sorted(rule["pgy"]),
            min_residents=rule["min"],
            max_residents=rule.get("max"),
            position=index,
        )
        for index, rule in enumerate(staffing)
    ]
    for rule in rules:
        rule.full_clean()
    StaffingRule.objects.bulk_create(rules)


@transaction.atomic
def rotation_create(
    *, program: Program, values: dict[str, Any], staffing: list[dict[str, Any]], by
) -> Rotation:
    """A new rotation; `values` holds `ROTATION_FIELDS`, `staffing` its weekly rules."""
    rotation = Rotation(
        program=program,
        position=_next_position(Rotation.objects.for_program(program)),
        **{name: values[name] for name in ROTATION_FIELDS if name in values},
    )
    rotation.full_clean()
    rotation.save()
    _set_staffing(rotation, staffing)
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Rotation {rotation.code}",
        after=_rotation_snapshot(rotation),
        by=by,
    )
    return rotation


@transaction.atomic
def rotation_update(
    *, rotation: Rotation, values: dict[str, Any], staffing: list[dict[str, Any]], by
) -> Rotation:
    before = _rotation_snapshot(rotation)
    changed = [name for name in ROTATION_FIELDS if name in values]
    for name in changed:
        setattr(rotation, name, values[name])
    rotation.full_clean()
    rotation.save(update_fields=changed)
    _set_staffing(rotation, staffing)
    rotation = Rotation.objects.prefetch_related("staffing").get(pk=rotation.pk)
    after = _rotation_snapshot(rotation)
    history_record_change(
        program=rotation.program,
        subject=f"Rotation {rotation.code}",
        before=before,
        after=after,
        by=by,
    )
    return rotation


@transaction.atomic
def rotation_delete(*, rotation: Rotation, by) -> None:
    reason = rotation_use(rotation=rotation)
    before, subject = _rotation_snapshot(rotation), f"Rotation {rotation.code}"
    _delete(rotation, in_use=reason, before=before, subject=subject, by=by)


# Requirements -----------------------------------------------------------------------------


def _requirement_subject(record: dict[str, Any]) -> str:
    tracks = "all tracks" if record["tracks"] == "*" else ", ".join(record["tracks"])
    pgy = "/".join(str(level) for level in record["pgy"])
    return f"Requirement {', '.join(record['rotations'])} (PGY-{pgy}, {tracks})"


def _fill_requirement(
    requirement: Requirement,
    *,
    tracks: list[Track] | None,
    pgy: list[int],
    rotations: list[Rotation],
    min_weeks: int | None,
    max_weeks: int | None,
) -> None:
    requirement.all_tracks = tracks is None
    requirement.pgy_levels = sorted(pgy)
    requirement.min_weeks, requirement.max_weeks = min_weeks, max_weeks
    requirement.full_clean()
    requirement.save()
    requirement.tracks.set(tracks or [])
    requirement.rotations.set(rotations)


@transaction.atomic
def requirement_create(
    *,
    program: Program,
    tracks: list[Track] | None,
    pgy: list[int],
    rotations: list[Rotation],
    min_weeks: int | None,
    max_weeks: int | None,
    by,
) -> Requirement:
    """A yearly requirement; `tracks` None means every track."""
    requirement = Requirement(
        program=program, position=_next_position(Requirement.objects.for_program(program))
    )
    _fill_requirement(
        requirement,
        tracks=tracks,
        pgy=pgy,
        rotations=rotations,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
    )
    after = requirement_record(requirement)
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=_requirement_subject(after),
        after=after,
        by=by,
    )
    return requirement


@transaction.atomic
def requirement_update(
    *,
    requirement: Requirement,
    tracks: list[Track] | None,
    pgy: list[int],
    rotations: list[Rotation],
    min_weeks: int | None,
    max_weeks: int | None,
    by,
) -> Requirement:
    before = requirement_record(requirement)
    _fill_requirement(
        requirement,
        tracks=tracks,
        pgy=pgy,
        rotations=rotations,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
    )
    after = requirement_record(requirement)
    history_record_change(
        program=requirement.program,
        subject=_requirement_subject(after),
        before=before,
        after=after,
        by=by,
    )
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement, by) -> None:
    before = requirement_record(requirement)
    _delete(requirement, in_use="", before=before, subject=_requirement_subject(before), by=by)


# Academic years ---------------------------------------------------------------------------


def _year_record(year: AcademicYear) -> dict[str, Any]:
    return {"name": year.name, "start": year.start.isoformat(), "weeks": year.weeks}


@transaction.atomic
def year_create(*, program: Program, name: str, start: datetime.date, weeks: int, by):
    year = AcademicYear(program=program, name=name, start=start, weeks=weeks)
    year.full_clean()
    year.save()
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CREATED,
        subject=f"Academic year {name}",
        after=_year_record(year),
        by=by,
    )
    return year


@transaction.atomic
def year_update(*, year: AcademicYear, name: str, start: datetime.date, weeks: int, by):
    before = _year_record(year)
    reason = year_use(year=year)
    if reason and (start != year.start or weeks != year.weeks):
        raise InUse(f"{reason}: its start and length cannot change")
    year.name, year.start, year.weeks = name, start, weeks
    year.full_clean()
    year.save(update_fields=["name", "start", "weeks"])
    after = _year_record(year)
    history_record_change(
        program=year.program,
        subject=f"Academic year {name}",
        before=before,
        after=after,
        by=by,
    )
    return year


@transaction.atomic
def year_delete(*, year: AcademicYear, by) -> None:
    before, subject = _year_record(year), f"Academic year {year.name}"
    _delete(year, in_use=year_use(year=year), before=before, subject=subject, by=by)
