"""A program as a residency-bundle/1 document (spec/program-bundle.md)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch

from programs.bundle.validate import FORMAT
from programs.models import (
    Faculty,
    Program,
    Requirement,
    Resident,
    ResidentRequest,
    Rotation,
    StaffingRule,
    Track,
)

#: Residents a bundle lists: the current roster. Graduated and withdrawn residents stay in
#: the database but are not scheduled, so they are not exported.
EXPORTED_STATUSES = (Resident.Status.ACTIVE, Resident.Status.LEAVE)


def bundle_export(
    *, program: Program, statuses: tuple[str, ...] = EXPORTED_STATUSES
) -> dict[str, Any]:
    """The program's bundle as plain JSON-ready data, in a deterministic order.

    `statuses` chooses the residents listed: the current roster by default; re-checking a
    stored version asks for every status, since its residents may have graduated since.

    Tracks and rotations come in their `position` order, requirements in theirs, residents by
    position then id, faculty by id, requests in each resident's order. Only approved requests
    are exported (pending and declined ones are not part of the schedule's input). Ten
    queries, whatever the program's size.
    """
    staffing = StaffingRule.objects.order_by("position", "pk")
    rotations = list(
        Rotation.objects.for_program(program)
        .order_by("position", "code")
        .prefetch_related(Prefetch("staffing", queryset=staffing))
    )
    requirements = list(
        Requirement.objects.for_program(program)
        .order_by("position", "pk")
        .prefetch_related("tracks", "rotations")
    )
    requests = ResidentRequest.objects.filter(status=ResidentRequest.Status.APPROVED)
    residents = list(
        Resident.objects.filter(program=program, status__in=statuses)
        .select_related("track")
        .order_by("position", "external_id")
        .prefetch_related(
            Prefetch(
                "requests", queryset=requests.select_related("rotation").order_by("position", "pk")
            )
        )
    )
    return {
        "format": FORMAT,
        "program": {
            "slug": program.slug,
            "name": program.name,
            "institution": program.institution,
            "timezone": program.timezone,
        },
        "academic_years": [
            {"name": year.name, "start": year.start.isoformat(), "weeks": year.weeks}
            for year in program.academic_years.order_by("start")
        ],
        "template": {
            "x_weeks": program.x_weeks,
            "y_weeks": program.y_weeks,
            "cohorts": program.cohorts,
        },
        "tracks": [
            track_record(track)
            for track in Track.objects.for_program(program).order_by("position", "code")
        ],
        "rotations": [_rotation(rotation) for rotation in rotations],
        "requirements": [_requirement(requirement) for requirement in requirements],
        "residents": [_resident(resident) for resident in residents],
        "faculty": [
            {
                "id": member.external_id,
                "name": member.name,
                "email": member.email,
                "mentor_capacity": member.mentor_capacity,
                "interests": list(member.interests),
            }
            for member in Faculty.objects.for_program(program).order_by("external_id")
        ],
    }


def _rotation(rotation: Rotation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": rotation.code,
        "name": rotation.name,
        "setting": rotation.setting,
        "phase": rotation.phase,
    }
    rules = list(rotation.staffing.all())
    if rules:
        data["staffing"] = [_staffing(rule) for rule in rules]
    if rotation.max_consecutive_weeks is not None:
        data["max_consecutive_weeks"] = rotation.max_consecutive_weeks
    if rotation.min_run_weeks is not None:
        data["min_run_weeks"] = rotation.min_run_weeks
    return data


def _staffing(rule: StaffingRule) -> dict[str, Any]:
    data: dict[str, Any] = {"pgy": list(rule.pgy_levels), "min": rule.min_residents}
    if rule.max_residents is not None:
        data["max"] = rule.max_residents
    return data


def _requirement(requirement: Requirement) -> dict[str, Any]:
    tracks = sorted(requirement.tracks.all(), key=lambda track: (track.position, track.code))
    rotations = sorted(requirement.rotations.all(), key=lambda rot: (rot.position, rot.code))
    data: dict[str, Any] = {
        "tracks": "*" if requirement.all_tracks else [track.code for track in tracks],
        "pgy": list(requirement.pgy_levels),
        "rotations": [rotation.code for rotation in rotations],
    }
    if requirement.min_weeks is not None:
        data["min_weeks"] = requirement.min_weeks
    if requirement.max_weeks is not None:
        data["max_weeks"] = requirement.max_weeks
    return data


def _resident(resident: Resident) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": resident.external_id,
        "name": resident.name,
        "email": resident.email,
        "pgy": resident.pgy,
        "track": resident.track.code,
    }
    if resident.cohort is not None:
        data["cohort"] = resident.cohort
    if resident.interests:
        data["interests"] = list(resident.interests)
    data["requests"] = [_request(request) for request in resident.requests.all()]
    return data


def _request(request: ResidentRequest) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": request.kind}
    if request.kind in (ResidentRequest.Kind.PREFER, ResidentRequest.Kind.AVOID):
        data["rotation"] = request.rotation.code if request.rotation else None
    if request.kind != ResidentRequest.Kind.PREFER:
        data["weeks"] = list(request.weeks)
    if request.weight is not None and request.kind in (
        ResidentRequest.Kind.PREFER,
        ResidentRequest.Kind.AVOID,
    ):
        data["weight"] = request.weight
    return data


#: One record of each kind as the bundle writes it: also the small before/after snapshots
#: the program's history keeps for set-up changes.
rotation_record = _rotation
requirement_record = _requirement


def track_record(track: Track) -> dict[str, Any]:
    return {
        "code": track.code,
        "name": track.name,
        "ambulatory_share": [float(track.ambulatory_min), float(track.ambulatory_max)],
    }


def bundle_json(*, program: Program) -> str:
    """The program's bundle as the text a file holds: 2-space indented UTF-8 JSON, a final
    newline. Exporting an unchanged program twice gives the same bytes."""
    return json.dumps(bundle_export(program=program), indent=2, ensure_ascii=False) + "\n"
