"""The X+Y vocabulary: phases, cohorts and settings, owned here and nowhere else.

An X+Y program alternates ``x_weeks`` of inpatient/elective work with ``y_weeks`` of
ambulatory work; residents are split into staggered cohorts so the same share of them is in
clinic every week (spec/program-bundle.md, "Residents"). Everything here is pure arithmetic
and works for any template: 3+2 with 5 cohorts, 4+1 with 5, 6+2 with 4, 4+2 with 6 or 3.

The solver, the hard rules, the compliance engine, the bundle checks, exports and pages all
import the phase formula and the setting vocabulary from this module.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Literal

Phase = Literal["x", "y"]
#: A rotation's phase: scheduled only in X weeks, only in Y weeks, or in any week.
RotationPhase = Literal["x", "y", "any"]
ROTATION_PHASES: tuple[RotationPhase, ...] = ("x", "y", "any")
PHASE_LABELS: dict[str, str] = {
    "x": "X weeks (inpatient/elective)",
    "y": "Y weeks (ambulatory)",
    "any": "Any week",
}

#: Where a rotation's work happens (spec, "Rotations").
Setting = Literal["inpatient", "critical_care", "ambulatory", "elective_inpatient", "vacation"]
SETTING_LABELS: dict[str, str] = {
    "inpatient": "Inpatient",
    "critical_care": "Critical care",
    "ambulatory": "Ambulatory",
    "elective_inpatient": "Inpatient elective",
    "vacation": "Vacation",
}
SETTINGS: tuple[Setting, ...] = tuple(SETTING_LABELS)  # type: ignore[assignment]
#: Balance: ambulatory weeks count as ambulatory; these three count as inpatient (and towards
#: the ACGME one-third inpatient floor); vacation counts as neither and leaves the denominator.
AMBULATORY_SETTINGS = frozenset({"ambulatory"})
INPATIENT_SETTINGS = frozenset({"inpatient", "critical_care", "elective_inpatient"})
CRITICAL_CARE_SETTINGS = frozenset({"critical_care"})
VACATION_SETTINGS = frozenset({"vacation"})


def is_ambulatory(setting: str) -> bool:
    """True for a setting that counts as ambulatory in the balance."""
    return setting in AMBULATORY_SETTINGS


def is_inpatient(setting: str) -> bool:
    """True for a setting that counts as inpatient (inpatient, critical care, elective)."""
    return setting in INPATIENT_SETTINGS


def is_critical_care(setting: str) -> bool:
    """True for a critical-care setting (ACGME critical-care months)."""
    return setting in CRITICAL_CARE_SETTINGS


def is_vacation(setting: str) -> bool:
    """True for vacation: neither ambulatory nor inpatient, outside the denominator."""
    return setting in VACATION_SETTINGS


class SettingFlags:
    """What a rotation's ``setting`` counts as: mixed into the solver's and the compliance
    engine's rotation types, so that both ask the vocabulary above and nothing else."""

    __slots__ = ()
    setting: str

    @property
    def is_ambulatory(self) -> bool:
        return is_ambulatory(self.setting)

    @property
    def is_inpatient(self) -> bool:
        """Inpatient for balance and the one-third floor: inpatient, critical care, elective."""
        return is_inpatient(self.setting)

    @property
    def is_critical_care(self) -> bool:
        return is_critical_care(self.setting)

    @property
    def is_vacation(self) -> bool:
        return is_vacation(self.setting)


def is_clinic(setting: str, phase: str) -> bool:
    """True for a continuity-clinic rotation: ambulatory and only in Y weeks."""
    return is_ambulatory(setting) and phase == "y"


def week_start(year_start: date, week: int) -> date:
    """Return the Monday that starts 0-based ``week`` of an academic year."""
    return year_start + timedelta(weeks=week)


def holiday_weeks(year_start: date | None, weeks: int) -> list[int]:
    """0-based weeks of an academic year that hold 24 or 31 December (winter holidays).

    Empty when the start is unknown or the year holds neither day.
    """
    if year_start is None:
        return []
    found: list[int] = []
    for year in (year_start.year, year_start.year + 1):
        for day in (date(year, 12, 24), date(year, 12, 31)):
            offset = (day - year_start).days
            if 0 <= offset < 7 * weeks and offset // 7 not in found:
                found.append(offset // 7)
    return found


def cohort_step(*, x_weeks: int, y_weeks: int, cohorts: int) -> int:
    """Return the offset in weeks between consecutive cohorts, ``(x + y) / cohorts``.

    Raises ``ValueError`` when the template is unusable: the spec requires the number of
    cohorts to divide the cycle length ``L = x_weeks + y_weeks``.
    """
    length = x_weeks + y_weeks
    if x_weeks < 0 or y_weeks < 0 or length <= 0:
        raise ValueError(f"an X+Y template needs a positive cycle, got {x_weeks}+{y_weeks}")
    if cohorts <= 0 or length % cohorts:
        raise ValueError(
            f"{cohorts} cohorts do not divide the {x_weeks}+{y_weeks} cycle of {length} weeks"
        )
    return length // cohorts


def cohort_label(cohort: int | None) -> str:
    """The cohort's name for people: "Cohort A" for the first (stored 0), "B" for the next.

    Letters, not numbers, so that a cohort is never read as a PGY level or a week, and never
    as 0-based ("c0") in the interface.
    """
    if cohort is None:
        return ""
    return f"Cohort {chr(ord('A') + cohort)}" if 0 <= cohort < 26 else f"Cohort {cohort + 1}"


def is_y_week(week: int, cohort: int, *, x_weeks: int, y_weeks: int, cohorts: int) -> bool:
    """Return True when ``week`` is an ambulatory (Y) week for ``cohort``.

    Spec rule: with ``L = x_weeks + y_weeks`` and ``step = L / cohorts``, week ``w`` is a Y
    week when ``(w + cohort * step) % L >= x_weeks``, else an X week.
    """
    step = cohort_step(x_weeks=x_weeks, y_weeks=y_weeks, cohorts=cohorts)
    return (week + cohort * step) % (x_weeks + y_weeks) >= x_weeks


def phase_of(week: int, cohort: int, *, x_weeks: int, y_weeks: int, cohorts: int) -> Phase:
    """Return ``"y"`` for an ambulatory week of ``cohort``, ``"x"`` otherwise."""
    y = is_y_week(week, cohort, x_weeks=x_weeks, y_weeks=y_weeks, cohorts=cohorts)
    return "y" if y else "x"


@functools.cache
def phases(
    weeks: int, cohort: int, *, x_weeks: int, y_weeks: int, cohorts: int
) -> tuple[Phase, ...]:
    """Return the phase of each of ``weeks`` weeks for one cohort (remembered: the solver
    asks for the same few cohorts' phases thousands of times)."""
    kw = {"x_weeks": x_weeks, "y_weeks": y_weeks, "cohorts": cohorts}
    return tuple(phase_of(w, cohort, **kw) for w in range(weeks))


def y_week_flags(
    weeks: int, cohort: int, *, x_weeks: int, y_weeks: int, cohorts: int
) -> tuple[bool, ...]:
    """Return, for each of ``weeks`` weeks, True when it is a Y week of ``cohort``."""
    kw = {"x_weeks": x_weeks, "y_weeks": y_weeks, "cohorts": cohorts}
    return tuple(is_y_week(w, cohort, **kw) for w in range(weeks))


def rotation_fits_phase(rotation_phase: str, *, in_y: bool) -> bool:
    """True when a rotation of ``rotation_phase`` may be scheduled in a Y (or X) week."""
    return rotation_phase == "any" or (rotation_phase == "y") == in_y


def phase_blocks(marks) -> list[tuple[int, int]]:
    """Return (first, last) index of each maximal run of equal items, e.g. of phases."""
    out, start = [], 0
    for w in range(1, len(marks) + 1):
        if w == len(marks) or marks[w] != marks[start]:
            out.append((start, w - 1))
            start = w
    return out


def _field(resident: Any, name: str) -> Any:
    if isinstance(resident, Mapping):
        return resident.get(name)
    return getattr(resident, name, None)


def assign_cohorts(residents: Iterable[Any], cohorts: int) -> dict[str, int]:
    """Return a cohort for every resident: fixed ones kept, the others spread evenly.

    ``residents`` are mappings or objects with ``id``, ``track``, ``pgy`` and an optional
    ``cohort``. Spec rule: "When missing, the scheduler chooses it, spreading each track and
    PGY level evenly over the cohorts." Residents without a cohort are taken in id order and
    each goes to the cohort with the fewest members of its (track, PGY) group; ties go to the
    cohort with the fewest residents of that PGY level (staffing counts PGY levels across
    tracks), then the fewest residents overall, then the lowest index. Deterministic.
    """
    if cohorts <= 0:
        raise ValueError("cohorts must be positive")
    people = list(residents)
    result: dict[str, int] = {}
    group_load: dict[tuple[Any, Any], Counter[int]] = defaultdict(Counter)
    pgy_load: dict[Any, Counter[int]] = defaultdict(Counter)
    total_load: Counter[int] = Counter()
    free = []
    for person in people:
        rid, fixed = str(_field(person, "id")), _field(person, "cohort")
        track, pgy = _field(person, "track"), _field(person, "pgy")
        if fixed is None:
            free.append((rid, track, pgy))
            continue
        if not 0 <= int(fixed) < cohorts:
            raise ValueError(f"resident {rid} has cohort {fixed}, outside 0..{cohorts - 1}")
        result[rid] = int(fixed)
        group_load[(track, pgy)][int(fixed)] += 1
        pgy_load[pgy][int(fixed)] += 1
        total_load[int(fixed)] += 1
    for rid, track, pgy in sorted(free, key=lambda item: item[0]):
        group, level = group_load[(track, pgy)], pgy_load[pgy]
        best = min(range(cohorts), key=lambda c: (group[c], level[c], total_load[c], c))
        result[rid] = best
        group[best] += 1
        level[best] += 1
        total_load[best] += 1
    return result
