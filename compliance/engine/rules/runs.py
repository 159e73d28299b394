"""Runs of work: intense X blocks in a row, and each rotation's run limits (rule family 7)."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.engine.facts import ProgramFacts, ResidentFacts
from compliance.engine.limits import PROGRAM_RULE
from compliance.engine.rules.base import WARNING, Finding, Scope, describe_weeks, reference
from compliance.engine.rules.tally import YearTally

INTENSE = "max_consecutive_intense_blocks"
MAX_RUN = "max_consecutive_weeks"
MIN_RUN = "min_run_weeks"
RUN_SOURCE = f"{PROGRAM_RULE} (rotation run limits)"


def _x_blocks(program: ProgramFacts, tally: YearTally) -> list[list[int]]:
    """The year's X blocks: maximal runs of the resident's X weeks.

    Without a cohort, a week on a Y-phase or clinic rotation stands in for a Y week.
    """
    cohort = tally.facts.cohort
    y_flags = program.y_week_flags(tally.year.weeks, cohort) if cohort is not None else None
    blocks: list[list[int]] = []
    in_block = False
    for index in range(tally.year.weeks):
        if y_flags is not None:
            is_x = not y_flags[index]
        else:
            code = tally.week(index)
            rotation = program.rotations[code] if code is not None else None
            is_x = rotation is None or not (rotation.phase == "y" or rotation.is_clinic)
        if not is_x:
            in_block = False
        elif in_block:
            blocks[-1].append(index)
        else:
            blocks.append([index])
            in_block = True
    return blocks


def intense_blocks(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (local, not ACGME): no more than two consecutive "intense" blocks (ICU,
    nights). A block is one X phase of the resident's X+Y cycle, intense when any of its
    weeks is on an intense rotation; the Y weeks between blocks do not break the streak."""
    limit = program.settings.max_consecutive_intense_blocks
    rotations = program.rotations
    findings = []
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            streak: list[list[int]] = []
            for block in [*_x_blocks(program, tally), []]:  # [] ends the last streak
                intense = [i for i in block if _is_intense(rotations, tally.week(i))]
                if intense:
                    streak.append(intense)
                    continue
                if len(streak) > limit:
                    findings.append(_intense_finding(program, resident, tally, streak, limit))
                streak = []
    return findings


def _is_intense(rotations, code: str | None) -> bool:
    return code is not None and rotations[code].intense


def _intense_finding(program, resident, tally: YearTally, streak, limit: int) -> Finding:
    weeks = tuple(i for block in streak for i in block)
    codes = sorted({tally.week(i) for i in weeks})
    first, last = tally.year.week_start(weeks[0]), tally.year.week_start(weeks[-1])
    return Finding(
        WARNING,
        INTENSE,
        reference(INTENSE),
        f"{len(streak)} X blocks in a row with intense rotations ({', '.join(codes)}), from "
        f"the week of {first.isoformat()} to the week of {last.isoformat()} in "
        f"{tally.academic_year}; the program allows {limit} in a row.",
        resident_id=resident.id,
        academic_year=tally.academic_year,
        weeks=weeks,
        figure=float(len(streak)),
        limit=f"<= {limit} blocks",
    )


def rotation_runs(
    program: ProgramFacts, residents: Sequence[ResidentFacts], scope: Scope
) -> list[Finding]:
    """Program rule (bundle spec, ``max_consecutive_weeks`` / ``min_run_weeks``): a resident
    is never on a rotation more weeks in a row than its maximum, and once started stays at
    least its minimum run. A run cut short by the start or end of the year, or by leave, is
    exempt from the minimum."""
    rotations = program.rotations
    findings = []
    for resident in residents:
        for tally in scope.scheduled_years(resident):
            weeks = tally.facts.weeks
            count = tally.year.weeks
            start = 0
            while start < len(weeks):
                code = weeks[start]
                end = start
                while end + 1 < len(weeks) and weeks[end + 1] == code:
                    end += 1
                if code is not None:
                    rotation = rotations[code]
                    length = end - start + 1
                    run = tuple(range(start, end + 1))
                    longest, shortest = rotation.max_consecutive_weeks, rotation.min_run_weeks
                    if longest is not None and length > longest:
                        findings.append(
                            _run_finding(resident, tally, code, run, f"at most {longest}", MAX_RUN)
                        )
                    exempt = (
                        start == 0
                        or end >= count - 1
                        or end + 1 >= len(weeks)  # weeks past the tuple are leave
                        or weeks[start - 1] is None
                        or weeks[end + 1] is None
                    )
                    if shortest is not None and length < shortest and not exempt:
                        findings.append(
                            _run_finding(
                                resident, tally, code, run, f"at least {shortest}", MIN_RUN
                            )
                        )
                start = end + 1
    return findings


def _run_finding(resident, tally: YearTally, code: str, run, bound: str, rule_id: str) -> Finding:
    return Finding(
        WARNING,
        rule_id,
        RUN_SOURCE,
        f"On {code} for {len(run)} consecutive week{'s' if len(run) != 1 else ''} "
        f"({describe_weeks(tally.year, run)}); a run on {code} lasts {bound} weeks.",
        resident_id=resident.id,
        rotation=code,
        academic_year=tally.academic_year,
        weeks=run,
        figure=float(len(run)),
        limit=f"{'<=' if rule_id == MAX_RUN else '>='} {bound.split()[-1]} weeks",
    )
