"""Importing a bundle's residents (with their requests) and faculty.

Residents and faculty are matched on their id and only created or updated: people the bundle
does not list are left alone (they may have graduated, or joined through the roster upload).
A listed resident's approved requests become exactly the bundle's, in its order; pending and
declined requests, made in the app, are left alone.
"""

from __future__ import annotations

from typing import Any

from programs.bundle.summary import ImportSummary
from programs.bundle.sync import RowBatch, assign, create_all, update_all
from programs.models import Faculty, Program, Resident, ResidentRequest, Rotation, Track

_APPROVED = ResidentRequest.Status.APPROVED


def import_residents(
    *, program: Program, data: dict[str, Any], tracks: dict[str, Track], summary: ImportSummary
) -> dict[str, Resident]:
    """Residents by id; returns the bundle's residents by id.

    A new resident's `position` (the export order) continues after the residents already
    there, in the bundle's order; it is not changed afterwards, so reordering residents in a
    bundle changes nothing. `interests` are optional: listed, they replace the resident's;
    missing, the resident's are kept. Status, sign-in account and career goals are not part
    of the bundle and are never changed here.
    """
    batch = RowBatch(Resident, summary["residents"], _named)
    existing = {
        resident.external_id: resident for resident in Resident.objects.for_program(program)
    }
    listed: dict[str, Resident] = {}
    next_position = max((resident.position for resident in existing.values()), default=-1) + 1
    for item in data["residents"]:
        values = {
            "name": item["name"],
            "email": item["email"],
            "pgy": item["pgy"],
            "track_id": tracks[item["track"]].pk,
            "cohort": item.get("cohort"),
        }
        if "interests" in item:
            values["interests"] = list(item["interests"])
        resident = existing.get(item["id"])
        if resident is None:
            resident = Resident(program=program, external_id=item["id"], **values)
            resident.position = next_position + len(batch.created)
            batch.create(resident)
        else:
            batch.update(resident, values)
        listed[resident.external_id] = resident
    batch.save()
    return listed


def import_requests(
    *,
    program: Program,
    data: dict[str, Any],
    residents: dict[str, Resident],
    rotations: dict[str, Rotation],
    summary: ImportSummary,
) -> None:
    """Each listed resident's approved requests become the bundle's, in its order (3-5 queries).

    A request is matched on what it asks (kind, rotation, weeks, weight): one the bundle still
    lists is kept (only its order may change), one it no longer lists is removed, a new one
    is created. So editing a request shows as one removed and one created.
    """
    changes = summary["requests"]
    current: dict[int, list[ResidentRequest]] = {}
    for request in (
        ResidentRequest.objects.filter(resident__program=program, status=_APPROVED)
        .select_related("rotation")
        .order_by("resident_id", "position", "pk")
    ):
        current.setdefault(request.resident_id, []).append(request)
    created, reordered, removed = [], [], []
    for item in data["residents"]:
        resident = residents[item["id"]]
        pool: dict[tuple, list[ResidentRequest]] = {}
        for request in current.get(resident.pk, []) if resident.pk else []:
            key = (request.kind, request.rotation_id, tuple(request.weeks), request.weight)
            pool.setdefault(key, []).append(request)
        for position, wish in enumerate(item.get("requests", [])):
            rotation_id = rotations[wish["rotation"]].pk if "rotation" in wish else None
            weeks, weight = list(wish.get("weeks", [])), wish.get("weight")
            matches = pool.get((wish["kind"], rotation_id, tuple(weeks), weight))
            if not matches:
                created.append(
                    ResidentRequest(
                        resident=resident,
                        status=_APPROVED,
                        kind=wish["kind"],
                        rotation_id=rotation_id,
                        weeks=weeks,
                        weight=weight,
                        position=position,
                    )
                )
                changes.created.append(describe_request(resident, wish))
            elif assign(request := matches.pop(0), {"position": position}):
                reordered.append(request)
                changes.updated.append(f"{describe_request(resident, wish)} (order)")
            else:
                changes.unchanged += 1
        for request in sorted(
            (request for group in pool.values() for request in group),
            key=lambda request: request.position,
        ):
            removed.append(request.pk)
            changes.removed.append(describe_request(resident, _as_wish(request)))
    update_all(ResidentRequest, reordered, ["position"])
    create_all(ResidentRequest, created)
    if removed:
        ResidentRequest.objects.filter(pk__in=removed).delete()


def remove_rotations(*, rotations: list[Rotation], summary: ImportSummary) -> None:
    """Deletes rotations the bundle no longer lists, and any request that still names them
    (a resident the bundle does not list, or a pending request); the caller has checked that
    no schedule uses them."""
    if not rotations:
        return
    doomed = ResidentRequest.objects.filter(rotation__in=rotations).select_related(
        "resident", "rotation"
    )
    for request in doomed:
        summary["requests"].removed.append(describe_request(request.resident, _as_wish(request)))
    doomed.delete()
    Rotation.objects.filter(pk__in=[rotation.pk for rotation in rotations]).delete()


def import_faculty(*, program: Program, data: dict[str, Any], summary: ImportSummary) -> None:
    """Faculty by id; their sign-in account and mentoring status are not touched."""
    batch = RowBatch(Faculty, summary["faculty"], _named)
    existing = {member.external_id: member for member in Faculty.objects.for_program(program)}
    for item in data["faculty"]:
        values = {
            "name": item["name"],
            "email": item["email"],
            "mentor_capacity": item["mentor_capacity"],
            "interests": list(item["interests"]),
        }
        member = existing.get(item["id"])
        if member is None:
            member = Faculty(program=program, external_id=item["id"], **values)
            batch.create(member)
        else:
            batch.update(member, values)
    batch.save()


def describe_request(resident: Resident, wish: dict[str, Any]) -> str:
    """E.g. `R0001 Kira Garcia: vacation 2028-03-06` or `R0003 Dev Haddad: prefer ELEC`."""
    detail = wish["kind"]
    if wish.get("rotation"):
        detail += f" {wish['rotation']}"
    weeks = wish.get("weeks") or []
    if weeks:
        shown = ", ".join(weeks[:3]) + (f" +{len(weeks) - 3}" if len(weeks) > 3 else "")
        detail += f" {shown}"
    return f"{_named(resident)}: {detail}"


def _as_wish(request: ResidentRequest) -> dict[str, Any]:
    rotation = request.rotation.code if request.rotation else None
    return {"kind": request.kind, "rotation": rotation, "weeks": request.weeks}


def _named(person: Resident | Faculty) -> str:
    return f"{person.external_id} {person.name}"
