"""Rules that keep linked rows within one program, for the models' `clean()`.

A row that links rows of a program (a requirement's rotations, a mentorship's mentor and
resident, a version's assignments) links rows of that one program only, and a faculty or
resident record is linked only to an account of its program. The checks cost at most a
small query per link not already loaded; they run wherever `full_clean()` does (forms, the
admin, services), while bulk writes build their rows from one program's rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models


def linked_program_id(row: models.Model, field: str, path: str = "program_id") -> int | None:
    """The program id of the row that `row.<field>` links to (reached through `path`, e.g.
    "schedule.program_id"), or None when it links to none."""
    if getattr(row, f"{field}_id") is None:
        return None
    target = getattr(row, field)
    for name in path.split("."):
        target = getattr(target, name)
    return target


def require_one_program(row: models.Model, program_id: int | None, *fields: str) -> None:
    """Raise a ValidationError on each of `fields` of `row` that links a row of another
    program than `program_id`. Unset links are left to the fields' own validation."""
    if program_id is None:
        return
    errors = {}
    for field in fields:
        other = linked_program_id(row, field)
        if other is not None and other != program_id:
            label = row._meta.get_field(field).verbose_name
            errors[field] = ValidationError(
                f"This {label} belongs to another program; choose one of this program's.",
                code="other_program",
            )
    if errors:
        raise ValidationError(errors)


def require_rows_of_program(program_id: int | None, **links: Iterable[models.Model]) -> None:
    """The many-to-many form of `require_one_program`, which `clean()` cannot check (the new
    links are not set yet): each named collection of rows must be of `program_id`."""
    if program_id is None:
        return
    errors = {}
    for name, rows in links.items():
        foreign = sorted(str(row) for row in rows if row.program_id != program_id)
        if foreign:
            errors[name] = ValidationError(
                f"Of another program: {', '.join(foreign)}.", code="other_program"
            )
    if errors:
        raise ValidationError(errors)


def require_unchanged(row: models.Model, *fields: str, why: str) -> None:
    """Raise a ValidationError when a saved `row` would link another row on `fields` than it
    does in the database (one query, on saved rows only)."""
    if row.pk is None:
        return
    stored = type(row)._default_manager.filter(pk=row.pk).values(*[f"{f}_id" for f in fields])
    stored = stored.first()
    if stored is None:
        return
    errors = {
        field: ValidationError(why, code="fixed_link")
        for field in fields
        if stored[f"{field}_id"] != getattr(row, f"{field}_id")
    }
    if errors:
        raise ValidationError(errors)


def require_account_link(record: models.Model) -> None:
    """A faculty or resident `record` is linked only to an account holding a role in its
    program, and an account to one record of a kind per program.

    The link makes the account that mentor or that resident: their meetings and private
    notes, their schedule and calendar feed. An account outside the program must not get
    them, and two records for one account would make "which one is me" a guess.
    """
    if record.user_id is None or record.program_id is None:
        return
    from programs.models import Role

    if not Role.objects.filter(user_id=record.user_id, program_id=record.program_id).exists():
        raise ValidationError(
            {
                "user": ValidationError(
                    "This account holds no role in this program: invite the person first.",
                    code="no_role",
                )
            }
        )
    twins = type(record)._default_manager.filter(
        program_id=record.program_id, user_id=record.user_id
    )
    if twins.exclude(pk=record.pk).exists():
        kind = record._meta.verbose_name
        raise ValidationError(
            {
                "user": ValidationError(
                    f"This account is already linked to another {kind} record of this program.",
                    code="linked_twice",
                )
            }
        )
