"""Approved vacation and leave become program data exactly like bundle requests: the export
carries them and re-importing the export keeps them; pending and declined ones stay out of
the bundle and survive an import untouched."""

import pytest

from programs.bundle import bundle_import
from programs.bundle.exporter import bundle_export
from programs.models import ResidentRequest
from resident_requests.services import request_decide, request_submit
from tests.resident_requests.conftest import week

pytestmark = pytest.mark.django_db


def _ask(world, kind, index, **extra):
    return request_submit(
        resident=world.me, kind=kind, weeks=[week(index)], by=world.cast.resident_user, **extra
    )


def _requests_of_t01(bundle):
    return next(r for r in bundle["residents"] if r["id"] == "T01")["requests"]


def test_approved_vacation_and_leave_round_trip_and_the_others_stay_put(world):
    vacation = _ask(world, "vacation", 4)
    leave = _ask(world, "leave", 6, leave_category="parental")
    pending = _ask(world, "vacation", 8)
    declined = _ask(world, "vacation", 9)
    request_decide(request=vacation, approve=True, by=world.cast.chief)
    request_decide(request=leave, approve=True, by=world.cast.director)
    request_decide(request=declined, approve=False, by=world.cast.chief, comment="No")
    exported = bundle_export(program=world.built.program)
    assert _requests_of_t01(exported) == [
        {"kind": "vacation", "weeks": ["2027-07-05"]},  # from the bundle
        {"kind": "vacation", "weeks": ["2027-07-26"]},
        {"kind": "leave", "weeks": ["2027-08-09"]},
    ]
    summary = bundle_import(data=exported)
    assert summary["requests"].created == [] and summary["requests"].removed == []
    assert bundle_export(program=world.built.program) == exported
    statuses = dict(
        ResidentRequest.objects.filter(pk__in=[pending.pk, declined.pk]).values_list("pk", "status")
    )
    assert statuses == {pending.pk: "pending", declined.pk: "declined"}
    leave.refresh_from_db()
    assert leave.leave_category == "parental" and leave.status == "approved"
