"""Academic-year roll-over: open the next year, graduate the finishing class, promote the rest.

The new intern class comes in afterwards through the roster CSV import; then the chiefs
build the new year's schedule (the solver uses each resident's current PGY level, which is
why the roll-over comes first).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from compliance.engine.facts import year_number
from compliance.facts import (
    IN_TRAINING,
    program_one_year_tracks,
    year_for_date,
)
from compliance.selectors import program_compliance_settings
from programs.clock import program_today
from programs.models import AcademicYear, Program, Resident
from programs.validators import DATE_RANGE_MESSAGE, is_sane_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RolloverPlan:
    """What a roll-over would do, for the preview and for the roll-over itself."""

    current: AcademicYear
    name: str
    start: datetime.date
    weeks: int
    graduating: list[Resident]
    promoted: list[Resident]
    one_year_tracks: frozenset[str]
    residency_years: int

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(weeks=self.weeks, days=-1)


def rollover_plan(
    *,
    program: Program,
    start: datetime.date | None = None,
    weeks: int = 52,
    today: datetime.date | None = None,
) -> RolloverPlan:
    """The roll-over from the current academic year (the one containing `today`, else the
    latest started, else the first) into the next one.

    The next year starts on the Monday after the current one ends unless `start` is given,
    and is named after its calendar years ("2028-2029"). Graduating: residents in training
    at PGY `residency_years` (3) or above, and PGY-1s of a one-year track (Preliminary, see
    `program_one_year_tracks`). Promoted: every other resident in training (active or on
    leave). Raises ValidationError when the program has no year, when the next year exists
    already (a second roll-over would promote everyone twice), or for a bad start or length
    (a start outside 2000-2100 included: its end would overflow Python's dates near 9999).
    """
    today = today or program_today(program)
    years = list(AcademicYear.objects.for_program(program).order_by("start"))
    if not years:
        raise ValidationError("The program has no academic year to roll over from.")
    current = year_for_date(years, today)
    if start is None:
        start = current.start + datetime.timedelta(weeks=current.weeks)
    if not is_sane_date(start):
        raise ValidationError({"start": DATE_RANGE_MESSAGE})
    if start.weekday() != 0:
        raise ValidationError({"start": "An academic year starts on a Monday."})
    if start <= current.end:
        ends = f"{current.end:%d %b %Y}"
        raise ValidationError({"start": f"The new year must start after {current.name} ({ends})."})
    if not 1 <= weeks <= 53:
        raise ValidationError({"weeks": "An academic year has between 1 and 53 weeks."})
    number = year_number(current.name)
    name = f"{number + 1}-{number + 2}" if number is not None else f"{start.year}-{start.year + 1}"
    later = [y for y in years if y.start > current.start]
    clash = next((y for y in years if y.name == name or y.start == start), None) or (
        later[0] if later else None
    )
    if clash is not None:
        raise ValidationError(
            f"The academic year after {current.name} already exists ({clash.name}, from "
            f"{clash.start:%d %b %Y}): the roll-over has been done, or that year was imported. "
            "Nothing was changed."
        )
    settings = program_compliance_settings(program=program)
    one_year = program_one_year_tracks(program=program)
    residents = list(
        Resident.objects.filter(program=program, status__in=IN_TRAINING)
        .select_related("track")
        .order_by("pgy", "name")
    )
    graduating, promoted = [], []
    for resident in residents:
        finishing = resident.pgy >= settings.residency_years or (
            resident.pgy == 1 and resident.track.code in one_year
        )
        (graduating if finishing else promoted).append(resident)
    return RolloverPlan(
        current=current,
        name=name,
        start=start,
        weeks=weeks,
        graduating=graduating,
        promoted=promoted,
        one_year_tracks=one_year,
        residency_years=settings.residency_years,
    )


@transaction.atomic
def academic_year_rollover(
    *,
    program: Program,
    by,
    start: datetime.date | None = None,
    weeks: int = 52,
    today: datetime.date | None = None,
) -> AcademicYear:
    """A director's roll-over (see `rollover_plan`): creates the next academic year, marks
    the graduating residents graduated and moves everyone else in training up one PGY level.
    All or nothing; refuses (ValidationError) when the next year already exists."""
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one roll-over at a time
    plan = rollover_plan(program=program, start=start, weeks=weeks, today=today)
    year = AcademicYear(program=program, name=plan.name, start=plan.start, weeks=plan.weeks)
    year.full_clean()
    year.save()
    graduating = [r.pk for r in plan.graduating]
    promoted = [r.pk for r in plan.promoted]
    Resident.objects.filter(pk__in=graduating).update(status=Resident.Status.GRADUATED)
    Resident.objects.filter(Q(pk__in=promoted) & Q(pgy__lt=7)).update(pgy=F("pgy") + 1)
    logger.info(
        "Roll-over of %s into %s by %s: %d graduated, %d promoted",
        program.slug,
        year.name,
        by,
        len(graduating),
        len(promoted),
    )
    return year
