"""Mentoring rows stay within one program, and a meeting stays with its mentor (issue 9:
B's people were saved into A's pairing proposal through the admin, then approved).

A mentorship's mentor and resident, a proposed pair's, and a resident's ranked mentors
are of one program; a meeting (with the mentor's private notes) never moves to another
mentorship, nor a mentorship to another mentor. `clean()` holds the rule; the admin's
choices follow it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import Mentorship, ProposedPair
from mentoring.selectors.mentorships import meetings_for_calendar
from mentoring.services.pairing import pairing_approve
from programs.models import Faculty
from tests.factories import FacultyFactory, ResidentFactory
from tests.mentoring.factories import (
    MentorPreferenceFactory,
    MentorshipFactory,
    PairingProposalFactory,
)
from tests.support.validation import clean_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_mentor(mentoring):
    return FacultyFactory(program=mentoring.cast.other_program)


def test_a_mentorship_pairs_people_of_its_program(mentoring, beta_mentor):
    cast = mentoring.cast
    mixed = Mentorship(
        program=cast.program, mentor=beta_mentor, resident=cast.resident, started_on="2026-01-05"
    )
    assert "mentor" in clean_errors(mixed)
    mixed = Mentorship(
        program=cast.program,
        mentor=cast.faculty,
        resident=cast.other_resident,
        started_on="2026-01-05",
    )
    assert "resident" in clean_errors(mixed)


def test_a_mentorship_keeps_its_mentor_and_resident(mentoring):
    """Its meetings' private notes are that mentor's: end it and start another instead."""
    mentorship = mentoring.mentorship
    mentorship.mentor = mentoring.other_mentor
    assert "mentor" in clean_errors(mentorship)
    mentorship.refresh_from_db()
    mentorship.resident = mentoring.other_mentee
    assert "resident" in clean_errors(mentorship)


def test_a_meeting_stays_in_the_mentorship_it_was_logged_in(mentoring):
    meeting = mentoring.meeting
    meeting.mentorship = mentoring.other_mentorship
    assert "mentorship" in clean_errors(meeting)
    meeting.mentorship = MentorshipFactory(program=mentoring.cast.other_program)
    assert "mentorship" in clean_errors(meeting)


def test_an_action_item_stays_with_its_meeting(mentoring):
    from tests.mentoring.factories import MeetingFactory

    item = mentoring.meeting.action_items.get()
    item.meeting = MeetingFactory(mentorship=mentoring.other_mentorship)
    assert "meeting" in clean_errors(item)


def test_a_proposed_pair_is_of_its_proposals_program(mentoring, beta_mentor):
    cast = mentoring.cast
    proposal = PairingProposalFactory(program=cast.program)
    pair = ProposedPair(proposal=proposal, resident=cast.resident, mentor=beta_mentor)
    assert "mentor" in clean_errors(pair)
    pair = ProposedPair(proposal=proposal, resident=cast.other_resident, mentor=cast.faculty)
    assert "resident" in clean_errors(pair)


def test_a_resident_ranks_mentors_of_their_program(mentoring, beta_mentor):
    preference = MentorPreferenceFactory.build(
        resident=mentoring.cast.resident, faculty=beta_mentor, rank=1
    )
    assert "faculty" in clean_errors(preference)


def test_a_mixed_pair_that_slipped_in_is_never_approved(mentoring, beta_mentor):
    """Even a pair written around `clean()` does not become a mentorship."""
    cast = mentoring.cast
    newcomer = ResidentFactory(program=cast.program, track=cast.resident.track)
    proposal = PairingProposalFactory(program=cast.program)
    ProposedPair.objects.bulk_create(
        [ProposedPair(proposal=proposal, resident=newcomer, mentor=beta_mentor)]
    )
    with pytest.raises(ValidationError):
        pairing_approve(proposal=proposal, by=cast.director)
    assert not Mentorship.objects.filter(mentor=beta_mentor).exists()


def test_the_admin_refuses_anothers_programs_people_in_a_proposal(operator_client, mentoring):
    """The finding: B's resident and mentor saved into A's proposal, then approved."""
    cast = mentoring.cast
    proposal = PairingProposalFactory(program=cast.program)
    beta_mentor = FacultyFactory(program=cast.other_program)
    url = reverse("admin:mentoring_pairingproposal_change", args=[proposal.pk])
    data = {
        "program": cast.program.pk,
        "status": "draft",
        "scope": "unpaired",
        "keep_existing": "on",
        "total_score": "0",
        "solver_status": "",
        "unpaired": "[]",
        "pairs-TOTAL_FORMS": "1",
        "pairs-INITIAL_FORMS": "0",
        "pairs-MIN_NUM_FORMS": "0",
        "pairs-MAX_NUM_FORMS": "1000",
        "pairs-0-resident": cast.other_resident.pk,
        "pairs-0-mentor": beta_mentor.pk,
        "pairs-0-score": "10",
        "pairs-0-reasons": "[]",
    }
    response = operator_client.post(url, data)
    assert response.status_code == 200  # the form again, with errors
    assert not response.context["adminform"].form.errors
    [pairs] = response.context["inline_admin_formsets"]
    assert {"resident", "mentor"} <= set(pairs.formset.errors[0])
    assert not proposal.pairs.exists()


def test_a_mentorships_page_offers_its_programs_people(operator_client, mentoring, beta_mentor):
    url = reverse("admin:mentoring_mentorship_change", args=[mentoring.mentorship.pk])
    fields = operator_client.get(url).context["adminform"].form.fields
    assert list(fields["program"].queryset) == [mentoring.cast.program]
    assert set(fields["mentor"].queryset) == set(
        Faculty.objects.filter(program=mentoring.cast.program)
    )
    assert mentoring.cast.other_resident not in set(fields["resident"].queryset)


def test_the_calendar_shows_no_meetings_of_a_program_the_account_has_no_role_in(mentoring):
    """A link written around `clean()` still gives an outsider nothing."""
    cast = mentoring.cast
    Faculty.objects.filter(pk=cast.faculty.pk).update(user=cast.other_director)
    assert meetings_for_calendar(user=cast.other_director) == []
    Faculty.objects.filter(pk=cast.faculty.pk).update(user=cast.faculty_user)
    assert meetings_for_calendar(user=cast.faculty_user)
