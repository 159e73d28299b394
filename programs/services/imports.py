"""Writes to programs: importing a bundle into a program, importing a roster from CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from history.models import Event
from history.services import history_record
from programs.bundle import BundleInvalid, ImportSummary, Problem, bundle_import, bundle_parse
from programs.bundle.checks import PGY_LEVELS
from programs.bundle.sync import assign, label_fields, update_all
from programs.models import Program, Resident, Track
from programs.validators import printable


def program_import_bundle(
    *, raw: str | bytes, program: Program | None = None, dry_run: bool = False, by=None
) -> ImportSummary:
    """Parses, checks and imports the bundle in `raw`; returns what changed.

    With `program`, the bundle must describe that very program (same slug): a director's
    upload may only change their own program; creating programs is a staff action
    (`manage.py import_program`). Raises `BundleInvalid`, writing nothing, on any problem.
    An import that changes something is recorded in the program's history (by `by`), in
    the import's transaction.
    """
    data = bundle_parse(raw)
    if program is not None:
        named = data.get("program") if isinstance(data, dict) else None
        slug = named.get("slug") if isinstance(named, dict) else None
        if slug != program.slug:
            raise BundleInvalid(
                [
                    Problem(
                        "$.program.slug",
                        f"this bundle is for program {slug!r}, not {program.slug!r}: a bundle "
                        "uploaded here may only update this program",
                    )
                ]
            )
    with transaction.atomic():
        summary = bundle_import(data=data, dry_run=dry_run)
        if summary.changed and not dry_run:
            history_record(
                program=Program.objects.get(slug=summary.slug),
                kind=Event.Kind.IMPORT,
                subject="Program bundle",
                by=by,
                after={kind: changes.counts() for kind, changes in summary.kinds.items()},
            )
    return summary


ROSTER_COLUMNS = ("id", "name", "email", "pgy", "track", "cohort")
ROSTER_REQUIRED = ("id", "name", "email", "pgy", "track")


class RosterInvalid(Exception):  # noqa: N818 (reads as what happened, like BundleInvalid)
    """Raised instead of importing a roster with errors; nothing has been written."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(f"the roster has {len(self.errors)} error(s)")


@dataclass
class RosterImportResult:
    """Residents created and updated (with the fields that changed) by a roster import."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False
    #: A roster import never removes anyone; kept so pages can show it like a bundle import.
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def roster_import_csv(
    *, program: Program, file: IO[bytes] | IO[str] | bytes | str, dry_run: bool = False
) -> RosterImportResult:
    """Creates or updates the program's residents from a CSV roster; returns what changed.

    Columns: id, name, email, pgy, track and optionally cohort (a header row names them, in
    any order). Residents are matched on id; those the file does not list are left alone. All
    or nothing: raises `RosterInvalid` with every error ("row 7, column pgy: expected 1, 2 or
    3, got 'x'"; rows are numbered as a spreadsheet shows them, the header being row 1).
    """
    rows, has_cohort = _roster_rows(_roster_text(file))
    tracks = {track.code.casefold(): track for track in Track.objects.for_program(program)}
    existing = {
        resident.external_id: resident for resident in Resident.objects.for_program(program)
    }
    wanted, errors = _check_roster(rows, program=program, tracks=tracks, existing=existing)
    if errors:
        raise RosterInvalid(errors)
    result = RosterImportResult(dry_run=dry_run)
    created, updated, fields = [], [], set()
    next_position = max((resident.position for resident in existing.values()), default=-1) + 1
    for values in wanted:
        external_id = values.pop("external_id")
        if not has_cohort:
            values.pop("cohort")
        resident = existing.get(external_id)
        if resident is None:
            resident = Resident(program=program, external_id=external_id, **values)
            resident.position = next_position + len(created)
            created.append(resident)
            result.created.append(f"{external_id} {resident.name}")
        elif changed := assign(resident, values):
            updated.append(resident)
            fields.update(changed)
            result.updated.append(f"{external_id} {resident.name} ({label_fields(changed)})")
        else:
            result.unchanged += 1
    if not dry_run:
        with transaction.atomic():
            update_all(Resident, updated, fields)
            Resident.objects.bulk_create(created)
    return result


def _roster_text(file: Any) -> str:
    content = file.read() if hasattr(file, "read") else file
    if isinstance(content, bytes | bytearray):
        try:
            content = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RosterInvalid(
                ["the file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”"]
            ) from None
    content = content.removeprefix("\ufeff")
    if not content.strip():
        raise RosterInvalid(["the file is empty"])
    return content


def _roster_rows(content: str) -> tuple[list[tuple[int, dict[str, str]]], bool]:
    """`(row number, {column: value})` for each non-blank row, and whether `cohort` is a column."""
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().casefold() for name in next(reader)]
        errors = [
            f"row 1: unknown column {name!r}" for name in header if name not in ROSTER_COLUMNS
        ]
        errors += [
            f"row 1: column {name!r} appears twice"
            for name in sorted(set(header))
            if header.count(name) > 1 and name
        ]
        errors += [
            f"row 1: missing column {name!r}" for name in ROSTER_REQUIRED if name not in header
        ]
        if errors:
            raise RosterInvalid(
                [*errors, f"the first row must name the columns: {', '.join(ROSTER_COLUMNS)}"]
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                errors.append(
                    f"row {reader.line_num}: {len(cells)} values, but the header has "
                    f"{len(header)} columns"
                )
                continue
            rows.append(
                (reader.line_num, dict(zip(header, (c.strip() for c in cells), strict=True)))
            )
    except csv.Error as error:
        raise RosterInvalid([f"row {reader.line_num}: not valid CSV ({error})"]) from None
    if errors:
        raise RosterInvalid(errors)
    if not rows:
        raise RosterInvalid(["the file has a header but no residents"])
    return rows, "cohort" in header


def _check_roster(
    rows: list[tuple[int, dict[str, str]]],
    *,
    program: Program,
    tracks: dict[str, Track],
    existing: dict[str, Resident],
) -> tuple[list[dict[str, Any]], list[str]]:
    """The residents' field values, and every error, row by row and column by column."""
    errors: list[str] = []
    wanted: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    emails: dict[str, int] = {}
    listed = {row["id"] for _, row in rows}
    owners = {
        resident.email.casefold(): resident
        for resident in existing.values()
        if resident.external_id not in listed
    }

    def bad(number: int, column: str, message: str) -> None:
        errors.append(f"row {number}, column {column}: {message}")

    for number, row in rows:
        values: dict[str, Any] = {"external_id": row["id"], "name": row["name"]}
        for column, cell in row.items():
            if not printable(cell):
                bad(number, column, "must not contain control characters")
        if not row["id"]:
            bad(number, "id", "must not be empty")
        elif len(row["id"]) > 64 or any(ch.isspace() for ch in row["id"]):
            bad(number, "id", f"expected at most 64 characters without spaces, got {row['id']!r}")
        elif row["id"] in ids:
            bad(number, "id", f"{row['id']} already appears in row {ids[row['id']]}")
        else:
            ids[row["id"]] = number
        if not row["name"]:
            bad(number, "name", "must not be empty")
        elif len(row["name"]) > 200:
            bad(number, "name", "must be at most 200 characters")
        email = row["email"]
        values["email"] = email
        try:
            validate_email(email)
        except ValidationError:
            bad(number, "email", f"expected an e-mail address, got {email!r}")
        else:
            if email.casefold() in emails:
                bad(number, "email", f"{email} already appears in row {emails[email.casefold()]}")
            elif (owner := owners.get(email.casefold())) and owner.external_id != row["id"]:
                bad(
                    number,
                    "email",
                    f"{email} belongs to resident {owner.external_id} ({owner.name})",
                )
            emails.setdefault(email.casefold(), number)
        levels = ", ".join(str(level) for level in PGY_LEVELS[:-1]) + f" or {PGY_LEVELS[-1]}"
        if row["pgy"] not in {str(level) for level in PGY_LEVELS}:
            bad(number, "pgy", f"expected {levels}, got {row['pgy']!r}")
        else:
            values["pgy"] = int(row["pgy"])
        track = tracks.get(row["track"].casefold())
        if track is None:
            known = ", ".join(sorted(t.code for t in tracks.values())) or "none yet"
            bad(number, "track", f"unknown track {row['track']!r} (this program has {known})")
        else:
            values["track_id"] = track.pk
        values["cohort"] = None
        cohort = row.get("cohort", "")
        if cohort:
            if cohort.isdigit() and int(cohort) < program.cohorts:
                values["cohort"] = int(cohort)
            else:
                bad(
                    number,
                    "cohort",
                    f"expected a cohort from 0 to {program.cohorts - 1}, or blank, got {cohort!r}",
                )
        wanted.append(values)
    return wanted, errors
