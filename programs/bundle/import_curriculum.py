"""Importing a bundle's academic years, tracks, rotations (with staffing) and requirements.

Each function brings one kind of row in line with the bundle in a fixed number of queries and
records what changed in the summary. Years and tracks are only created or updated; rotations
and requirements that the bundle no longer lists are removed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from programs.bundle.derive import rotation_colors, rotation_experiences, rotation_intense
from programs.bundle.summary import ImportSummary
from programs.bundle.sync import RowBatch, assign, create_all, label_fields, update_all
from programs.bundle.validate_curriculum import requirement_key
from programs.links import require_rows_of_program
from programs.models import AcademicYear, Program, Requirement, Rotation, StaffingRule, Track

_THOUSANDTH = Decimal("0.001")


def import_years(*, program: Program, data: dict[str, Any], summary: ImportSummary) -> None:
    """Academic years by name; years missing from the bundle are kept (schedules hang off them)."""
    batch = RowBatch(AcademicYear, summary["academic_years"], lambda year: year.name)
    existing = {year.name: year for year in AcademicYear.objects.for_program(program)}
    for item in data["academic_years"]:
        values = {"start": date.fromisoformat(item["start"]), "weeks": item["weeks"]}
        year = existing.get(item["name"])
        if year is None:
            batch.create(AcademicYear(program=program, name=item["name"], **values))
        else:
            batch.update(year, values)
    batch.save()


def import_tracks(
    *, program: Program, data: dict[str, Any], summary: ImportSummary
) -> dict[str, Track]:
    """Tracks by code, in the bundle's order; returns every track of the program by code.

    Tracks missing from the bundle are kept: residents the bundle does not list may be on them.
    """
    batch = RowBatch(Track, summary["tracks"], lambda track: _named(track.code, track.name))
    existing = {track.code: track for track in Track.objects.for_program(program)}
    for position, item in enumerate(data["tracks"]):
        low, high = (
            Decimal(str(share)).quantize(_THOUSANDTH) for share in item["ambulatory_share"]
        )
        values = {
            "name": item["name"],
            "ambulatory_min": low,
            "ambulatory_max": high,
            "position": position,
        }
        track = existing.get(item["code"])
        if track is None:
            track = Track(program=program, code=item["code"], **values)
            existing[track.code] = track
            batch.create(track)
        else:
            batch.update(track, values)
    batch.save()
    return existing


def import_rotations(
    *, program: Program, data: dict[str, Any], summary: ImportSummary
) -> tuple[dict[str, Rotation], list[Rotation]]:
    """Rotations by code with their staffing; returns the bundle's rotations by code and the
    rotations to remove (the caller removes them last, after the requests that use them).

    `intense` and `experiences` are derived when a rotation is created or its name or setting
    change; `color` only when it is created, so a colour picked later is kept.
    """
    changes = summary["rotations"]
    existing = {
        rotation.code: rotation
        for rotation in Rotation.objects.for_program(program).prefetch_related("staffing")
    }
    colors = rotation_colors(data["rotations"])
    by_code: dict[str, Rotation] = {}
    created, updated, fields, restaff = [], [], set(), []
    for position, item in enumerate(data["rotations"]):
        values = {
            "name": item["name"],
            "setting": item["setting"],
            "phase": item["phase"],
            "max_consecutive_weeks": item.get("max_consecutive_weeks"),
            "min_run_weeks": item.get("min_run_weeks"),
            "position": position,
        }
        rules = [_staffing_values(rule) for rule in item.get("staffing", [])]
        rotation = existing.pop(item["code"], None)
        if rotation is None:
            rotation = Rotation(program=program, code=item["code"], color=colors[item["code"]])
            assign(rotation, values | _derived(item))
            created.append(rotation)
            restaff.append((rotation, rules))
            changes.created.append(_named(rotation.code, rotation.name))
        else:
            changed = assign(rotation, values)
            saved = changed + (
                assign(rotation, _derived(item)) if {"name", "setting"} & set(changed) else []
            )
            current = sorted(rotation.staffing.all(), key=lambda rule: (rule.position, rule.pk))
            restaffed = [_staffing_row(rule) for rule in current] != rules
            if restaffed:
                restaff.append((rotation, rules))
            if saved:
                updated.append(rotation)
                fields.update(saved)
            if changed or restaffed:
                shown = label_fields([*changed, *(["staffing"] if restaffed else [])])
                changes.updated.append(f"{_named(rotation.code, rotation.name)} ({shown})")
            else:
                changes.unchanged += 1
        by_code[rotation.code] = rotation
    update_all(Rotation, updated, fields)
    create_all(Rotation, created)
    _restaff(restaff)
    for rotation in existing.values():
        changes.removed.append(_named(rotation.code, rotation.name))
    return by_code, list(existing.values())


def _derived(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "intense": rotation_intense(code=item["code"], name=item["name"], setting=item["setting"]),
        "experiences": rotation_experiences(code=item["code"], name=item["name"]),
    }


def _staffing_values(rule: dict[str, Any]) -> tuple[list[int], int, int | None]:
    return list(rule["pgy"]), rule["min"], rule.get("max")


def _staffing_row(rule: StaffingRule) -> tuple[list[int], int, int | None]:
    return list(rule.pgy_levels), rule.min_residents, rule.max_residents


def _restaff(pairs: list[tuple[Rotation, list[tuple[list[int], int, int | None]]]]) -> None:
    """Replaces the staffing rules of the rotations in `pairs` (two queries)."""
    if not pairs:
        return
    StaffingRule.objects.filter(rotation__in=[rotation for rotation, _ in pairs]).delete()
    StaffingRule.objects.bulk_create(
        StaffingRule(
            rotation=rotation,
            pgy_levels=levels,
            min_residents=low,
            max_residents=high,
            position=position,
        )
        for rotation, rules in pairs
        for position, (levels, low, high) in enumerate(rules)
    )


def import_requirements(
    *,
    program: Program,
    data: dict[str, Any],
    tracks: dict[str, Track],
    rotations: dict[str, Rotation],
    summary: ImportSummary,
) -> None:
    """Requirements matched on their tracks, PGY levels and rotations (a requirement has no
    code); bounds and order are updated, new ones created, those no longer listed removed."""
    changes = summary["requirements"]
    existing: dict[tuple, list[Requirement]] = {}
    names: dict[int, str] = {}
    for requirement in (
        Requirement.objects.for_program(program)
        .prefetch_related("tracks", "rotations")
        .order_by("position", "pk")
    ):
        tracks_of = sorted(requirement.tracks.all(), key=lambda track: track.position)
        rotations_of = sorted(requirement.rotations.all(), key=lambda rotation: rotation.position)
        as_item = {
            "tracks": "*" if requirement.all_tracks else [track.code for track in tracks_of],
            "pgy": requirement.pgy_levels,
            "rotations": [rotation.code for rotation in rotations_of],
            "min_weeks": requirement.min_weeks,
            "max_weeks": requirement.max_weeks,
        }
        existing.setdefault(requirement_key(as_item), []).append(requirement)
        names[requirement.pk] = describe_requirement(as_item)
    created: list[tuple[Requirement, dict[str, Any]]] = []
    updated, fields = [], set()
    for position, item in enumerate(data["requirements"]):
        values = {
            "pgy_levels": list(item["pgy"]),
            "min_weeks": item.get("min_weeks"),
            "max_weeks": item.get("max_weeks"),
            "position": position,
        }
        matches = existing.get(requirement_key(item))
        if not matches:
            requirement = Requirement(program=program, all_tracks=item["tracks"] == "*")
            assign(requirement, values)
            created.append((requirement, item))
            changes.created.append(describe_requirement(item))
        elif changed := assign(requirement := matches.pop(0), values):
            updated.append(requirement)
            fields.update(changed)
            changes.updated.append(f"{describe_requirement(item)} ({label_fields(changed)})")
        else:
            changes.unchanged += 1
    # The links are written in bulk, around any form: they must be this program's rows.
    linked_tracks = [
        tracks[code] for _, item in created if item["tracks"] != "*" for code in item["tracks"]
    ]
    linked_rotations = [rotations[code] for _, item in created for code in item["rotations"]]
    require_rows_of_program(program.pk, tracks=linked_tracks, rotations=linked_rotations)
    update_all(Requirement, updated, fields)
    create_all(Requirement, [requirement for requirement, _ in created])
    Requirement.tracks.through.objects.bulk_create(
        Requirement.tracks.through(requirement_id=requirement.pk, track_id=tracks[code].pk)
        for requirement, item in created
        if item["tracks"] != "*"
        for code in item["tracks"]
    )
    Requirement.rotations.through.objects.bulk_create(
        Requirement.rotations.through(requirement_id=requirement.pk, rotation_id=rotations[code].pk)
        for requirement, item in created
        for code in item["rotations"]
    )
    leftovers = [requirement for group in existing.values() for requirement in group]
    for requirement in leftovers:
        changes.removed.append(names[requirement.pk])
    if leftovers:
        Requirement.objects.filter(pk__in=[requirement.pk for requirement in leftovers]).delete()


def describe_requirement(item: dict[str, Any]) -> str:
    """E.g. `PGY-2/3, CAT/PC: ICU 3–6 weeks` or `PGY-1, all tracks: WARDS ≥ 9 weeks`."""
    pgy = "/".join(str(level) for level in sorted(item["pgy"]))
    tracks = "all tracks" if item["tracks"] == "*" else "/".join(item["tracks"])
    low, high = item.get("min_weeks"), item.get("max_weeks")
    if low is not None and high is not None:
        bound = f"{low} weeks" if low == high else f"{low}–{high} weeks"
    elif low is not None:
        bound = f"≥ {low} weeks"
    else:
        bound = f"≤ {high} weeks"
    return f"PGY-{pgy}, {tracks}: {'/'.join(item['rotations'])} {bound}"


def _named(code: str, name: str) -> str:
    return f"{code} ({name})"
