"""Yearly rotation requirements and required experiences (rule family 4)."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, RequirementFacts, ResidentFacts
from compliance.engine.limits import PROGRAM_RULE, describe_tag
from compliance.engine.rules.base import (
    CRITICAL,
    INFO,
    WARNING,
    Finding,
    Scope,
    num,
    plural,
    reference,
)
from compliance.engine.rules.projection import EPSILON

REQUIREMENT = "yearly_requirement"
REQUIREMENT_SOURCE = f"{PROGRAM_RULE} (yearly requirement per track and PGY)"
EXPERIENCE = "required_experiences"
EXPERIENCE_NOT_OFFERED = "required_experience_not_offered"


def _describe(requirement: RequirementFacts) -> tuple[str, str]:
    rotations = ", ".join(sorted(requirement.rotations))
    tracks = "all tracks" if requirement.tracks is None else ", ".join(sorted(requirement.tracks))
    levels = "/".join(str(level) for level in sorted(requirement.pgy))
    return rotations, f"{tracks}, PGY-{levels}"


def _limit(requirement: RequirementFacts) -> str:
    low, high = requirement.min_weeks, requirement.max_weeks
    if low is not None and high is not None:
        return f"{low}–{high} weeks"
    return f">= {low} weeks" if low is not None else f"<= {high} weeks"


def yearly_requirements(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (bundle spec, ``requirements``): per resident per academic year, the
    weeks spent on any of a requirement's rotations lie within [min_weeks, max_weeks]. The
    year's own PGY and track decide which requirements apply."""
    findings = []
    requirements = [r for r in program.requirements if r.min_weeks or r.max_weeks is not None]
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            facts = tally.facts
            for requirement in requirements:
                if not requirement.applies_to(facts.track, facts.pgy):
                    continue
                weeks = sum(tally.rotation_weeks.get(code, 0) for code in requirement.rotations)
                low, high = requirement.min_weeks, requirement.max_weeks
                if low is not None and weeks < low:
                    side = f"below the required minimum of {low}"
                elif high is not None and weeks > high:
                    side = f"above the allowed maximum of {high}"
                else:
                    continue
                rotations, applies = _describe(requirement)
                findings.append(
                    Finding(
                        WARNING,
                        REQUIREMENT,
                        REQUIREMENT_SOURCE,
                        f"{plural(weeks, 'week')} on {rotations} in {tally.academic_year} "
                        f"(PGY-{facts.pgy}, {facts.track}), {side} (requirement for {applies}).",
                        resident_id=resident.id,
                        rotation=rotations,
                        academic_year=tally.academic_year,
                        figure=weeks,
                        limit=_limit(requirement),
                    )
                )
    return findings


def required_experiences(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """ACGME IM Program Requirements IV.C.3 (verify): every resident gets experience in
    geriatrics, palliative care, addiction medicine, emergency medicine and neurology (the
    program's list). An experience is met by at least one week, at any point of the
    residency, on any rotation tagged with it. A required experience no rotation offers is
    reported once for the program instead of once per resident."""
    required = program.settings.required_experiences
    offered = frozenset().union(*(r.experiences for r in program.rotations.values()))
    findings = [
        Finding(
            WARNING,
            EXPERIENCE_NOT_OFFERED,
            reference(EXPERIENCE),
            f"No rotation is tagged with the required experience '{describe_tag(tag)}', so no "
            "resident can be shown to meet it; tag the rotations that provide it.",
            limit="offered by a rotation",
        )
        for tag in required
        if tag not in offered
    ]
    checked = [tag for tag in required if tag in offered]
    if not checked:
        return findings
    for resident in residents:
        outlook = scope.outlook(resident)
        if not outlook.applies:
            continue
        met = outlook.experiences_done | outlook.experiences_planned | outlook.experiences_assumed
        missing = [tag for tag in checked if tag not in met]
        if not missing:
            continue
        names = ", ".join(describe_tag(tag) for tag in missing)
        remaining = outlook.remaining_countable
        if outlook.prior_years:
            severity = INFO
            advice = (
                f"training before PGY-{resident.years[0].pgy} is not recorded, so it may "
                "have been met there"
            )
        elif remaining > EPSILON:
            severity = WARNING
            advice = f"{num(remaining)} weeks remain to schedule it"
        else:
            severity = CRITICAL
            advice = "no weeks remain"
        findings.append(
            Finding(
                severity,
                EXPERIENCE,
                reference(EXPERIENCE),
                f"No week of {names} is done or planned before graduation; {advice}.",
                resident_id=resident.id,
                figure=float(len(missing)),
                limit="at least 1 week each",
            )
        )
    return findings
