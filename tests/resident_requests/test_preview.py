"""The preview: what granting a vacation, a leave or a swap does to the published schedule,
through the hard rules and the compliance engine's balance."""

import pytest

from programs.models import StaffingRule
from resident_requests.preview import preview_base, preview_change
from resident_requests.services import request_preview
from tests.resident_requests.conftest import week

pytestmark = pytest.mark.django_db


def _wards_week(world) -> int:
    row = world.rows()[world.me.external_id]
    return next(i for i, code in enumerate(row) if code == "WARDS")


def _tighten_wards(world, index):
    """WARDS needs exactly the PGY-1/2 residents it has in week `index`."""
    staffed = sum(1 for row in world.rows().values() if row[index] == "WARDS")
    StaffingRule.objects.filter(
        rotation__program=world.built.program, rotation__code="WARDS"
    ).update(min_residents=staffed)
    return staffed


def test_a_vacation_on_a_short_service_flags_the_staffing_shortfall(world):
    index = _wards_week(world)
    _tighten_wards(world, index)
    preview = request_preview(resident=world.me, kind="vacation", weeks=[week(index)])
    assert [(c.week, c.before, c.after) for c in preview.changes] == [(index, "WARDS", "VAC")]
    staffing = [v for v in preview.breaks if v.rule == "staffing"]
    assert [(v.rotation, v.weeks) for v in staffing] == [("WARDS", (index,))]


def test_leave_empties_the_cells_and_changes_the_balance(world):
    row = world.rows()[world.me.external_id]
    index = next(i for i, code in enumerate(row) if code == "CLINIC")
    preview = request_preview(resident=world.me, kind="leave", weeks=[week(index)])
    assert [(c.before, c.after) for c in preview.changes] == [("CLINIC", None)]
    assert preview.balance.after < preview.balance.before
    assert not [v for v in preview.breaks if v.rule in ("leave", "unscheduled")]


def test_breaks_the_schedule_already_had_are_not_blamed_on_the_request(world):
    base = preview_base(year=world.built.schedule.academic_year)
    nothing = preview_change(base=base, focus=world.me)
    assert nothing.breaks == [] and nothing.changes == []


def test_without_a_published_schedule_the_preview_says_so(world):
    schedule = world.built.schedule
    schedule.published_version = None
    schedule.save(update_fields=["published_version"])
    preview = request_preview(resident=world.me, kind="vacation", weeks=[week(4)])
    assert not preview.published and "published" in preview.note
