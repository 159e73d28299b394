"""The X+Y template: week dates, phases per the spec's formula, and cohort assignment."""

from collections import Counter
from datetime import date

import pytest

from scheduling.xy import (
    assign_cohorts,
    cohort_step,
    is_y_week,
    phase_blocks,
    phase_of,
    phases,
    week_start,
)

THREE_TWO = {"x_weeks": 3, "y_weeks": 2, "cohorts": 5}


def test_week_start_adds_whole_weeks_to_the_year_start():
    assert week_start(date(2027, 6, 28), 0) == date(2027, 6, 28)
    assert week_start(date(2027, 6, 28), 1) == date(2027, 7, 5)
    assert week_start(date(2027, 6, 28), 51) == date(2028, 6, 19)


def test_it_follows_the_spec_formula_for_every_week_and_cohort():
    for x, y, n in [(3, 2, 5), (4, 1, 5), (6, 2, 4), (4, 2, 6), (4, 2, 3), (3, 1, 2)]:
        length, step = x + y, (x + y) // n
        for cohort in range(n):
            for week in range(60):
                expected = (week + cohort * step) % length >= x
                assert is_y_week(week, cohort, x_weeks=x, y_weeks=y, cohorts=n) == expected


def test_three_plus_two_puts_two_of_five_cohorts_in_clinic_every_week():
    for week in range(52):
        in_clinic = [c for c in range(5) if is_y_week(week, c, **THREE_TWO)]
        assert len(in_clinic) == 2


def test_six_plus_two_with_four_cohorts_offsets_cohorts_by_two_weeks():
    assert cohort_step(x_weeks=6, y_weeks=2, cohorts=4) == 2
    kw = {"x_weeks": 6, "y_weeks": 2, "cohorts": 4}
    assert "".join(phase_of(w, 0, **kw) for w in range(8)) == "xxxxxxyy"
    assert "".join(phase_of(w, 1, **kw) for w in range(8)) == "xxxxyyxx"


def test_it_rejects_cohorts_that_do_not_divide_the_cycle():
    with pytest.raises(ValueError, match="do not divide"):
        is_y_week(0, 0, x_weeks=3, y_weeks=2, cohorts=4)
    with pytest.raises(ValueError):
        cohort_step(x_weeks=3, y_weeks=2, cohorts=0)


def test_phases_lists_one_phase_per_week():
    assert "".join(phases(10, 0, **THREE_TWO)) == "xxxyyxxxyy"
    assert "".join(phases(5, 1, **THREE_TWO)) == "xxyyx"


def test_phase_blocks_returns_maximal_runs():
    assert phase_blocks("xxxyyx") == [(0, 2), (3, 4), (5, 5)]
    assert phase_blocks("") == []


def test_it_keeps_fixed_cohorts():
    people = [
        {"id": "A", "track": "CAT", "pgy": 1, "cohort": 3},
        {"id": "B", "track": "CAT", "pgy": 1},
    ]
    assert assign_cohorts(people, 5)["A"] == 3


def test_it_rejects_a_fixed_cohort_out_of_range():
    with pytest.raises(ValueError, match="outside"):
        assign_cohorts([{"id": "A", "track": "CAT", "pgy": 1, "cohort": 5}], 5)


def test_it_spreads_each_track_and_pgy_evenly():
    people = [
        {"id": f"R{i:03d}", "track": track, "pgy": pgy}
        for i, (track, pgy) in enumerate(
            [("CAT", 1)] * 23 + [("CAT", 2)] * 11 + [("PC", 1)] * 4 + [("PRE", 1)] * 7
        )
    ]
    people.append({"id": "R999", "track": "CAT", "pgy": 1, "cohort": 0})
    cohorts = assign_cohorts(people, 5)
    for group in {(p["track"], p["pgy"]) for p in people}:
        counts = Counter(cohorts[p["id"]] for p in people if (p["track"], p["pgy"]) == group)
        sizes = [counts.get(c, 0) for c in range(5)]
        assert max(sizes) - min(sizes) <= 1, (group, sizes)
    by_pgy = Counter(cohorts[p["id"]] for p in people if p["pgy"] == 1)
    assert max(by_pgy.values()) - min(by_pgy.values()) <= 1


def test_it_assigns_cohorts_deterministically_whatever_the_order():
    people = [{"id": f"R{i}", "track": "CAT", "pgy": 1 + i % 3} for i in range(40)]
    assert assign_cohorts(people, 5) == assign_cohorts(list(reversed(people)), 5)


def test_it_reads_objects_as_well_as_mappings():
    class Person:
        def __init__(self, id, track, pgy, cohort=None):
            self.id, self.track, self.pgy, self.cohort = id, track, pgy, cohort

    assert assign_cohorts([Person("A", "CAT", 1, 2), Person("B", "CAT", 1)], 5)["A"] == 2


def test_the_setting_vocabulary_counts_each_setting_once():
    from scheduling import xy

    assert set(xy.SETTINGS) == set(xy.SETTING_LABELS)
    for setting in xy.SETTINGS:
        counted = [xy.is_ambulatory(setting), xy.is_inpatient(setting), xy.is_vacation(setting)]
        assert sum(counted) == 1, setting
    assert xy.is_critical_care("critical_care") and xy.is_inpatient("critical_care")
    assert xy.is_inpatient("elective_inpatient") and not xy.is_ambulatory("elective_inpatient")


def test_clinic_is_an_ambulatory_rotation_of_the_y_phase():
    from scheduling import xy

    assert xy.is_clinic("ambulatory", "y")
    assert not xy.is_clinic("ambulatory", "x") and not xy.is_clinic("ambulatory", "any")
    assert not xy.is_clinic("inpatient", "y")


def test_a_rotation_fits_its_phase_and_any_fits_both():
    from scheduling.xy import rotation_fits_phase

    assert rotation_fits_phase("x", in_y=False) and not rotation_fits_phase("x", in_y=True)
    assert rotation_fits_phase("y", in_y=True) and not rotation_fits_phase("y", in_y=False)
    assert rotation_fits_phase("any", in_y=True) and rotation_fits_phase("any", in_y=False)


def test_y_week_flags_follow_the_formula_week_by_week():
    from scheduling.xy import is_y_week, y_week_flags

    template = {"x_weeks": 4, "y_weeks": 1, "cohorts": 5}
    for cohort in range(5):
        flags = y_week_flags(52, cohort, **template)
        assert flags == tuple(is_y_week(w, cohort, **template) for w in range(52))
        assert sum(flags) in (10, 11)
