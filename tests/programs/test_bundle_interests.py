"""Residents' optional `interests` in the bundle (spec/program-bundle.md): checked like faculty
interests, imported, exported, and used by mentor pairing."""

import json

import pytest

from mentoring.selectors.pairing import pairing_preview
from programs.bundle import bundle_export, bundle_import, bundle_json
from programs.bundle.validate import bundle_problems
from programs.models import Program, Resident
from tests.programs.bundles import small_bundle

pytestmark = pytest.mark.django_db


def _with_interests():
    bundle = small_bundle()
    bundle["residents"][0]["interests"] = ["primary care", "medical education"]
    return bundle


def test_interests_are_imported_and_exported():
    bundle = _with_interests()
    bundle_import(data=bundle)
    program = Program.objects.get(slug="test-im")
    resident = Resident.objects.get(program=program, external_id=bundle["residents"][0]["id"])
    assert resident.interests == ["primary care", "medical education"]
    exported = bundle_export(program=program)["residents"][0]
    assert exported["interests"] == ["primary care", "medical education"]
    assert "interests" not in bundle_export(program=program)["residents"][1]
    first = bundle_json(program=program)
    assert not bundle_import(data=json.loads(first)).changed


def test_a_bundle_without_interests_keeps_the_residents_ones():
    bundle_import(data=_with_interests())
    bundle_import(data=small_bundle())
    resident = Resident.objects.get(external_id=small_bundle()["residents"][0]["id"])
    assert resident.interests == ["primary care", "medical education"]


def test_bad_interests_are_problems_with_their_path():
    bundle = small_bundle()
    bundle["residents"][0]["interests"] = ["QI", "qi", ""]
    messages = {str(p) for p in bundle_problems(bundle)}
    assert "$.residents[0].interests[1]: 'qi' is listed twice (also at [0])" in messages
    assert "$.residents[0].interests[2]: must not be empty" in messages


def test_pairing_uses_the_imported_interests():
    bundle = _with_interests()
    bundle["faculty"] = [
        {
            "id": "F1",
            "name": "Dr. Teach",
            "email": "teach@example.org",
            "mentor_capacity": 10,
            "interests": ["medical education"],
        }
    ]
    bundle_import(data=bundle)
    program = Program.objects.get(slug="test-im")
    proposal, _candidates = pairing_preview(program=program)
    resident = Resident.objects.get(program=program, external_id=bundle["residents"][0]["id"])
    pair = next(p for p in proposal.pairs if p.mentee_id == str(resident.pk))
    assert "medical education" in " ".join(pair.reasons)
