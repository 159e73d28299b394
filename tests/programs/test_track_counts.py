"""A track's resident count is the residents in the program now (active or on leave), the
same people the set-up checklist counts: the demo's overview said "71 residents" above a
track table adding up to 72 once a resident had withdrawn."""

import pytest

from programs.models import Resident
from programs.selectors import program_overview
from programs.selectors_setup import tracks_list
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_withdrawn_and_graduated_residents_are_not_counted_in_their_track(two_programs):
    program, track = two_programs.program, two_programs.resident.track
    for status in Resident.Status.values:
        ResidentFactory(program=program, track=track, status=status)
    # The cast's own resident (active), plus one active and one on leave.
    counts = {t.code: t.resident_count for t in tracks_list(program=program)}
    overview = {t.code: t.resident_count for t in program_overview(program=program)["tracks"]}
    assert counts == overview == {"CAT": 3}
