"""Pairing services: propose, swap, lock, remove, re-propose, approve (all-or-nothing)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import Mentorship, PairingProposal, ProposedPair
from mentoring.pairing import pair_score
from mentoring.selectors.pairing import mentee_candidate, mentor_candidate, pairing_candidates
from mentoring.services.pairing import (
    REMOVED,
    SWAPPED,
    pairing_approve,
    pairing_discard,
    pairing_propose,
    pairing_repropose,
    proposed_pair_assign,
    proposed_pair_lock,
    proposed_pair_remove,
)
from programs.models import Faculty
from tests.factories import FacultyFactory, ResidentFactory
from tests.mentoring.factories import MentorPreferenceFactory, MentorshipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def program(two_programs):
    program = two_programs.program
    program.timezone = "UTC"
    program.save(update_fields=["timezone"])
    return program


def resident(program, **kwargs):
    track = program.tracks.first()
    return ResidentFactory(program=program, track=track, **kwargs)


def mentor(program, capacity=2, **kwargs):
    return FacultyFactory(program=program, mentor_capacity=capacity, **kwargs)


class TestPropose:
    def test_it_stores_pairs_with_score_and_reasons_and_the_leftovers(self, program, two_programs):
        two_programs.faculty.mentor_capacity = 0
        two_programs.faculty.save(update_fields=["mentor_capacity"])
        educator = mentor(program, capacity=1, interests=["medical education"])
        keen = resident(program, career_goals=["medical education"])
        MentorPreferenceFactory(resident=keen, faculty=educator, rank=1)
        proposal = pairing_propose(program=program, by=two_programs.director)
        pair = proposal.pairs.get()
        assert (pair.resident, pair.mentor) == (keen, educator)
        assert pair.score == 40
        assert "resident ranked this mentor 1st" in pair.reasons
        assert proposal.total_score == 40
        assert proposal.status == PairingProposal.Status.DRAFT
        assert [row[0] for row in proposal.unpaired] == [two_programs.resident.pk]
        assert "no capacity left" in proposal.unpaired[0][1]

    def test_residents_with_a_mentor_are_left_out_of_an_unpaired_proposal(
        self, program, two_programs
    ):
        MentorshipFactory(
            program=program, mentor=two_programs.faculty, resident=two_programs.resident
        )
        # Nobody is left to pair: no empty draft ("Approve 0 changes"), a way on instead.
        with pytest.raises(ValidationError, match="propose for the whole program"):
            pairing_propose(program=program, by=two_programs.director)
        assert not PairingProposal.objects.exists()

    def test_a_whole_program_proposal_keeps_current_pairs(self, program, two_programs):
        MentorshipFactory(
            program=program, mentor=two_programs.faculty, resident=two_programs.resident
        )
        proposal = pairing_propose(
            program=program, by=two_programs.director, scope=PairingProposal.Scope.ALL
        )
        pair = proposal.pairs.get()
        assert pair.kept and pair.mentor == two_programs.faculty

    def test_a_new_proposal_discards_the_earlier_draft(self, program, two_programs):
        first = pairing_propose(program=program, by=two_programs.director)
        pairing_propose(program=program, by=two_programs.director)
        first.refresh_from_db()
        assert first.status == PairingProposal.Status.DISCARDED

    def test_building_candidates_takes_the_same_queries_for_few_and_many(
        self, program, django_assert_num_queries
    ):
        mentor(program)
        resident(program)
        with django_assert_num_queries(4):
            pairing_candidates(program=program, scope="all")
        for _ in range(15):
            person = resident(program)
            MentorPreferenceFactory(resident=person, faculty=mentor(program))
            MentorshipFactory(program=program, resident=resident(program), mentor=mentor(program))
        with django_assert_num_queries(4):
            pairing_candidates(program=program, scope="all")

    def test_an_unknown_scope_is_refused(self, program, two_programs):
        with pytest.raises(ValidationError):
            pairing_propose(program=program, by=two_programs.director, scope="everyone")


class TestSwap:
    def test_swapping_re_scores_the_pair_and_shows_the_new_reasons(self, program, two_programs):
        keen = two_programs.resident
        keen.career_goals = ["research"]
        keen.save(update_fields=["career_goals"])
        researcher = mentor(program, interests=["research"])
        proposal = pairing_propose(program=program, by=two_programs.director)
        assert proposal.pairs.get(resident=keen).mentor == researcher
        pair = proposed_pair_assign(
            proposal=proposal, resident=keen, mentor=two_programs.faculty, by=None
        )
        expected, reasons = pair_score(
            mentee_candidate(keen, [], None), mentor_candidate(two_programs.faculty, [])
        )
        assert pair.mentor == two_programs.faculty
        assert (pair.score, pair.reasons) == (expected, [SWAPPED, *reasons])
        assert reasons == ["no shared interest, goal or ranking"]
        back = proposed_pair_assign(proposal=proposal, resident=keen, mentor=researcher, by=None)
        assert (back.score, back.reasons) == (10, [SWAPPED, "both: research"])
        proposal.refresh_from_db()
        assert proposal.total_score == 10

    def test_another_programs_mentor_is_refused(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        foreign = mentor(two_programs.other_program)
        with pytest.raises(ValidationError, match="within one program"):
            proposed_pair_assign(
                proposal=proposal,
                resident=two_programs.resident,
                mentor=foreign,
                by=two_programs.director,
            )

    def test_a_mentor_on_leave_is_refused(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        away = mentor(program, mentor_status=Faculty.MentorStatus.ON_LEAVE)
        with pytest.raises(ValidationError, match="on leave"):
            proposed_pair_assign(
                proposal=proposal, resident=two_programs.resident, mentor=away, by=None
            )

    def test_a_locked_pair_cannot_be_swapped_or_removed(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        pair = proposal.pairs.get()
        proposed_pair_lock(pair=pair, locked=True, by=None)
        with pytest.raises(ValidationError, match="locked"):
            proposed_pair_assign(
                proposal=proposal, resident=pair.resident, mentor=mentor(program), by=None
            )
        with pytest.raises(ValidationError, match="locked"):
            proposed_pair_remove(pair=pair, by=None)

    def test_a_leftover_can_be_paired_by_hand(self, program, two_programs):
        two_programs.faculty.mentor_capacity = 0
        two_programs.faculty.save(update_fields=["mentor_capacity"])
        proposal = pairing_propose(program=program, by=two_programs.director)
        assert proposal.unpaired
        pair = proposed_pair_assign(
            proposal=proposal, resident=two_programs.resident, mentor=mentor(program), by=None
        )
        proposal.refresh_from_db()
        assert proposal.unpaired == [] and pair.pk

    def test_an_approved_proposal_cannot_change(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        pairing_approve(proposal=proposal, by=two_programs.director)
        with pytest.raises(ValidationError, match="only a draft"):
            proposed_pair_remove(pair=proposal.pairs.get(), by=None)
        with pytest.raises(ValidationError, match="only a draft"):
            pairing_discard(proposal=proposal, by=None)


class TestRemoveAndRepropose:
    def test_removing_a_pair_makes_the_resident_a_leftover(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        proposed_pair_remove(pair=proposal.pairs.get(), by=two_programs.director)
        proposal.refresh_from_db()
        assert not proposal.pairs.exists()
        assert proposal.unpaired == [[two_programs.resident.pk, REMOVED]]
        assert proposal.total_score == 0

    def test_re_proposing_keeps_the_locked_pairs(self, program, two_programs):
        chosen = mentor(program, capacity=1)
        proposal = pairing_propose(program=program, by=two_programs.director)
        pair = proposed_pair_assign(
            proposal=proposal, resident=two_programs.resident, mentor=chosen, by=None
        )
        proposed_pair_lock(pair=pair, locked=True, by=None)
        again = pairing_repropose(proposal=proposal, by=two_programs.director)
        kept = again.pairs.get(resident=two_programs.resident)
        assert kept.mentor == chosen and kept.locked
        proposal.refresh_from_db()
        assert proposal.status == PairingProposal.Status.DISCARDED


class TestApprove:
    def test_it_starts_new_mentorships_today(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        created = pairing_approve(proposal=proposal, by=two_programs.director)
        assert [(m.resident, m.mentor, m.started_on) for m in created] == [
            (two_programs.resident, two_programs.faculty, TODAY)
        ]
        proposal.refresh_from_db()
        assert proposal.status == PairingProposal.Status.APPROVED and proposal.approved_at

    def test_it_ends_replaced_mentorships_and_keeps_their_history(self, program, two_programs):
        old = MentorshipFactory(
            program=program,
            mentor=two_programs.faculty,
            resident=two_programs.resident,
            started_on=datetime.date(2025, 7, 1),
        )
        new_mentor = mentor(program)
        proposal = pairing_propose(
            program=program, by=two_programs.director, scope=PairingProposal.Scope.ALL
        )
        proposed_pair_assign(
            proposal=proposal, resident=two_programs.resident, mentor=new_mentor, by=None
        )
        pairing_approve(proposal=proposal, by=two_programs.director)
        old.refresh_from_db()
        assert old.ended_on == TODAY
        assert old.end_reason == f"re-paired by the {proposal.label.lower()}"
        current = Mentorship.objects.get(resident=two_programs.resident, ended_on__isnull=True)
        assert current.mentor == new_mentor
        assert Mentorship.objects.filter(resident=two_programs.resident).count() == 2

    def test_kept_pairs_change_nothing(self, program, two_programs):
        MentorshipFactory(
            program=program, mentor=two_programs.faculty, resident=two_programs.resident
        )
        proposal = pairing_propose(
            program=program, by=two_programs.director, scope=PairingProposal.Scope.ALL
        )
        assert pairing_approve(proposal=proposal, by=two_programs.director) == []
        assert Mentorship.objects.filter(ended_on__isnull=False).count() == 0

    def test_capacity_is_never_exceeded_and_nothing_is_saved(self, program, two_programs):
        """Two new mentees for a mentor with one place: the whole approval is refused."""
        small = mentor(program, capacity=1)
        second = resident(program)
        other = mentor(program, capacity=3)
        proposal = pairing_propose(program=program, by=two_programs.director)
        for person in (two_programs.resident, second):
            proposed_pair_assign(proposal=proposal, resident=person, mentor=small, by=None)
        third = resident(program)
        proposed_pair_assign(proposal=proposal, resident=third, mentor=other, by=None)
        with pytest.raises(ValidationError) as refused:
            pairing_approve(proposal=proposal, by=two_programs.director)
        assert f"{small.name} would have 2 mentees for 1 places." in refused.value.messages
        assert Mentorship.objects.count() == 0
        proposal.refresh_from_db()
        assert proposal.status == PairingProposal.Status.DRAFT

    def test_current_mentees_count_towards_capacity(self, program, two_programs):
        full = mentor(program, capacity=1)
        MentorshipFactory(program=program, mentor=full, resident=resident(program))
        proposal = pairing_propose(program=program, by=two_programs.director)
        proposed_pair_assign(
            proposal=proposal, resident=two_programs.resident, mentor=full, by=None
        )
        with pytest.raises(ValidationError, match="would have 2 mentees for 1 places"):
            pairing_approve(proposal=proposal, by=two_programs.director)

    def test_a_pair_that_crosses_programs_is_refused(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        foreign = mentor(two_programs.other_program, capacity=5)
        ProposedPair.objects.filter(proposal=proposal).update(mentor=foreign)
        with pytest.raises(ValidationError, match="not both in this program"):
            pairing_approve(proposal=proposal, by=two_programs.director)
        assert Mentorship.objects.count() == 0

    def test_a_mentor_who_went_on_leave_gets_no_new_mentee(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        Faculty.objects.filter(pk=two_programs.faculty.pk).update(
            mentor_status=Faculty.MentorStatus.ON_LEAVE
        )
        with pytest.raises(ValidationError, match="on leave"):
            pairing_approve(proposal=proposal, by=two_programs.director)

    def test_a_proposal_is_approved_once(self, program, two_programs):
        proposal = pairing_propose(program=program, by=two_programs.director)
        pairing_approve(proposal=proposal, by=two_programs.director)
        with pytest.raises(ValidationError, match="approved"):
            pairing_approve(proposal=proposal, by=two_programs.director)
        assert Mentorship.objects.count() == 1
