"""Importing a residency-bundle/1 document into the database, all or nothing.

The program is matched on its slug, tracks and rotations on their codes, residents and faculty
on their ids, requirements on their tracks, PGY levels and rotations. Importing the same bundle
twice changes nothing the second time, and export -> import -> export gives the same JSON.
See docs/bundle-format.md for what is created, updated, kept and removed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from programs.bundle.import_curriculum import (
    import_requirements,
    import_rotations,
    import_tracks,
    import_years,
)
from programs.bundle.import_people import (
    import_faculty,
    import_requests,
    import_residents,
    remove_rotations,
)
from programs.bundle.problems import BundleInvalid, Problem
from programs.bundle.summary import ImportSummary
from programs.bundle.sync import assign, label_fields
from programs.bundle.validate import bundle_problems
from programs.models import AcademicYear, Program, Resident, Rotation

_TEMPLATE_FIELDS = ("x_weeks", "y_weeks", "cohorts")


def bundle_import(*, data: Any, dry_run: bool = False) -> ImportSummary:
    """Creates or updates the program the bundle describes; returns what changed.

    Checks the bundle first and raises `BundleInvalid` with every problem, writing nothing;
    also raises it, still writing nothing, when the bundle conflicts with the database (a
    rotation it drops is used by a schedule, a year clashes with one it does not list). With
    `dry_run` the import runs in full and is rolled back, so the summary is exactly what a
    real import would do.
    """
    problems = bundle_problems(data)
    if problems:
        raise BundleInvalid(problems)
    summary = ImportSummary(slug=data["program"]["slug"], dry_run=dry_run)
    try:
        _import(data=data, summary=summary)
    except (IntegrityError, DataError) as error:
        # The checks above should leave nothing for the database to refuse; if it still does
        # (a race with another import, a rule only the database knows), say so plainly.
        raise BundleInvalid([Problem("$", f"the database refused the import: {error}")]) from None
    return summary


def _import(*, data: dict[str, Any], summary: ImportSummary) -> None:
    """Writes the bundle in one transaction, rolled back at the end of a dry run."""
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(slug=summary.slug).first()
        if program is not None:
            conflicts = database_conflicts(program=program, data=data)
            if conflicts:
                raise BundleInvalid(conflicts)
        program = _import_program(program=program, data=data, summary=summary)
        import_years(program=program, data=data, summary=summary)
        tracks = import_tracks(program=program, data=data, summary=summary)
        rotations, dropped = import_rotations(program=program, data=data, summary=summary)
        import_requirements(
            program=program, data=data, tracks=tracks, rotations=rotations, summary=summary
        )
        residents = import_residents(program=program, data=data, tracks=tracks, summary=summary)
        import_requests(
            program=program, data=data, residents=residents, rotations=rotations, summary=summary
        )
        remove_rotations(rotations=dropped, summary=summary)
        import_faculty(program=program, data=data, summary=summary)
        if summary.dry_run:
            transaction.set_rollback(True)


def _import_program(
    *, program: Program | None, data: dict[str, Any], summary: ImportSummary
) -> Program:
    """The program row: name, institution, time zone and X+Y template (`full_clean`ed)."""
    values = {
        "name": data["program"]["name"],
        "institution": data["program"]["institution"],
        "timezone": data["program"]["timezone"],
        **{name: data["template"][name] for name in _TEMPLATE_FIELDS},
    }
    changes = summary["program"]
    if program is None:
        program = Program(slug=summary.slug, **values)
        _full_clean(program)
        program.save()
        changes.created.append(f"{program.slug} ({program.name})")
    elif changed := assign(program, values):
        _full_clean(program)
        program.save(update_fields=changed)
        changes.updated.append(f"{program.slug} ({label_fields(changed)})")
    else:
        changes.unchanged += 1
    return program


def _full_clean(program: Program) -> None:
    """The model's own checks, reported like any bundle problem (the bundle checks should
    already have caught anything this finds)."""
    try:
        program.full_clean()
    except ValidationError as error:
        raise BundleInvalid(
            [
                Problem(
                    f"$.template.{name}" if name in _TEMPLATE_FIELDS else f"$.program.{name}",
                    message,
                )
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None


def database_conflicts(*, program: Program, data: dict[str, Any]) -> list[Problem]:
    """What in the database stops this valid bundle from being imported over `program`.

    - a rotation the bundle drops is used by a schedule (assignments protect it);
    - an academic year the bundle does not list overlaps one it does (two years cannot
      share weeks, and the import keeps years it does not list);
    - a resident the bundle does not list is in a cohort the new template no longer has.
    """
    problems: list[Problem] = []
    codes = {item["code"] for item in data["rotations"]}
    used = (
        Rotation.objects.filter(program=program, assignments__isnull=False)
        .exclude(code__in=codes)
        .distinct()
        .order_by("code")
    )
    for rotation in used:
        problems.append(
            Problem(
                "$.rotations",
                f"rotation {rotation.code!r} ({rotation.name}) is missing, but schedules use "
                "it: keep it in the bundle",
            )
        )
    names = {item["name"] for item in data["academic_years"]}
    kept = list(AcademicYear.objects.for_program(program).exclude(name__in=names))
    for index, item in enumerate(data["academic_years"]):
        start = date.fromisoformat(item["start"])
        end = start + timedelta(weeks=item["weeks"])
        for year in kept:
            if year.start < end and start < year.start + timedelta(weeks=year.weeks):
                problems.append(
                    Problem(
                        f"$.academic_years[{index}].start",
                        f"the year overlaps academic year {year.name!r}, which the program "
                        "already has and the bundle does not list",
                    )
                )
    ids = {item["id"] for item in data["residents"]}
    cohorts = data["template"]["cohorts"]
    stranded = (
        Resident.objects.filter(program=program, cohort__gte=cohorts)
        .exclude(external_id__in=ids)
        .order_by("external_id")
    )
    for resident in stranded:
        problems.append(
            Problem(
                "$.template.cohorts",
                f"resident {resident.external_id} ({resident.name}), whom the bundle does not "
                f"list, is in cohort {resident.cohort}; the template has only {cohorts} cohorts",
            )
        )
    return problems
