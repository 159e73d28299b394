"""Balance between ambulatory and inpatient training (rule family 1).

Shares are of countable weeks: scheduled weeks that are neither vacation nor leave.
Ambulatory = setting "ambulatory"; inpatient = inpatient, critical care, inpatient elective.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.limits import PROGRAM_RULE
from compliance.engine.rules.base import (
    CRITICAL,
    INFO,
    WARNING,
    Finding,
    Scope,
    minimum_severity,
    num,
    pct,
    plural,
    reference,
)
from compliance.engine.rules.projection import EPSILON, Outlook, Projection

TRACK_BAND = "track_band"
TRACK_BAND_RESIDENCY = "track_band_residency"
TRACK_BAND_SOURCE = f"{PROGRAM_RULE} (track ambulatory band, per academic year)"


def track_band_by_year(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (bundle spec, ``tracks.ambulatory_share``): in each academic year a
    resident's ambulatory share stays within the band of that year's track (Primary Care
    50–60%). A resident who changes track is held to each year's own track."""
    findings = []
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            band = program.tracks.get(tally.facts.track)
            counts = tally.total
            if band is None or counts.countable == 0:
                continue
            low, high = band
            share = counts.ambulatory / counts.countable
            if low - EPSILON <= share <= high + EPSILON:
                continue
            if share < low:
                moves = math.ceil(low * counts.countable - counts.ambulatory - EPSILON)
                side, fix = "below", f"from inpatient to ambulatory would reach {pct(low)}"
            else:
                moves = math.ceil(counts.ambulatory - high * counts.countable - EPSILON)
                side, fix = "above", f"from ambulatory to inpatient would bring it to {pct(high)}"
            findings.append(
                Finding(
                    WARNING,
                    TRACK_BAND,
                    TRACK_BAND_SOURCE,
                    f"Ambulatory share in {tally.academic_year} is {pct(share)} "
                    f"({counts.ambulatory} of {counts.countable} weeks, vacation and leave left "
                    f"out), {side} the {tally.facts.track} track's band of "
                    f"{pct(low)}–{pct(high)}; moving {plural(moves, 'week')} {fix}.",
                    resident_id=resident.id,
                    academic_year=tally.academic_year,
                    figure=round(share, 4),
                    limit=f"{pct(low)}–{pct(high)}",
                )
            )
    return findings


def _projection(outlook: Outlook, kind: str) -> Projection:
    return Projection(
        so_far=getattr(outlook.done, kind),
        scheduled=getattr(outlook.planned, kind),
        assumed=outlook.assumed(kind),
        room=outlook.remaining_countable,
        remaining_weeks=outlook.remaining_countable,
        unscheduled_years=len(outlook.estimates),
    )


def _floor_text(floor: float) -> str:
    return "one-third" if abs(floor - 1 / 3) < EPSILON else pct(floor)


def acgme_floors(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """ACGME IM Program Requirements IV.C.3: at least one-third of training in ambulatory
    settings and at least one-third inpatient, across the residency. Checked as projected at
    graduation: weeks so far, the published and draft plan ahead, and unscheduled years
    assumed built to the template."""
    findings = []
    settings = program.settings
    for resident in residents:
        outlook = scope.outlook(resident)
        total = outlook.total_countable
        if not outlook.applies or total <= 0:
            continue
        for kind, floor in (
            ("ambulatory", settings.ambulatory_floor),
            ("inpatient", settings.inpatient_floor),
        ):
            projection = _projection(outlook, kind)
            minimum = floor * total
            severity = minimum_severity(outlook, projection, minimum)
            if severity is None:
                continue
            share = projection.projected / total
            message = (
                f"Projected {kind} share at graduation is {pct(share)} "
                f"({num(projection.projected)} of {num(total)} weeks: "
                f"{projection.breakdown('weeks')}), below the ACGME floor of "
                f"{_floor_text(floor)}."
            )
            message += _outlook_advice(outlook, projection, minimum, severity, kind)
            findings.append(
                Finding(
                    severity,
                    f"{kind}_floor",
                    reference(f"{kind}_floor"),
                    message,
                    resident_id=resident.id,
                    figure=round(share, 4),
                    limit=f">= {_floor_text(floor)}",
                )
            )
    return findings


def _outlook_advice(
    outlook: Outlook, projection: Projection, minimum: float, severity: str, kind: str
) -> str:
    remaining = projection.remaining_weeks
    if severity == INFO:
        first = outlook.resident.years[0].pgy
        return f" Training before PGY-{first} is not recorded, so this cannot be confirmed."
    if severity == CRITICAL:
        if remaining <= EPSILON:
            return " No weeks remain to make it up."
        return f" Even with all {num(remaining)} remaining weeks {kind}, it cannot be reached."
    needed = math.ceil(minimum - projection.so_far - EPSILON)
    return (
        f" The remaining {num(remaining)} weeks need at least {plural(needed, f'{kind} week')}; "
        f"the plan gives {num(projection.planned)}."
    )


def track_band_residency(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (track ambulatory band), residency-wide: with weeks still to come,
    whether the resident can finish inside the bands of their tracks, each year's band
    weighted by that year's countable weeks (so a change of track is accounted for)."""
    findings = []
    for resident in residents:
        outlook = scope.outlook(resident)
        total = outlook.total_countable
        if not outlook.applies or total <= 0 or outlook.remaining_countable <= EPSILON:
            continue
        projection = _projection(outlook, "ambulatory")
        low, high = outlook.band_low, outlook.band_high
        band = f"{pct(low / total)}–{pct(high / total)}"
        if projection.below(low):
            needed = math.ceil(low - projection.so_far - EPSILON)
            side = "below"
            advice = f"at least {plural(needed, 'ambulatory week')}"
        elif projection.projected > high + EPSILON:
            allowed = max(0, math.floor(high - projection.so_far + EPSILON))
            side = "above"
            advice = f"at most {plural(allowed, 'ambulatory week')}"
        else:
            continue
        findings.append(
            Finding(
                WARNING,
                TRACK_BAND_RESIDENCY,
                TRACK_BAND_SOURCE,
                f"Projected ambulatory share at graduation is "
                f"{pct(projection.projected / total)} ({num(projection.projected)} of "
                f"{num(total)} weeks: {projection.breakdown('weeks')}), "
                f"{side} the {band} that the yearly track bands add up to; the remaining "
                f"{num(projection.remaining_weeks)} weeks need {advice} "
                f"(the plan gives {num(projection.planned)}).",
                resident_id=resident.id,
                figure=round(projection.projected / total, 4),
                limit=band,
            )
        )
    return findings
