"""Every branch of mentoring.access: who sees a mentorship, a meeting, an action item, a
proposal or a profile, with an owner, an insider and an outsider."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentoring.access import (
    MentoringNeed,
    Viewer,
    action_item_for_user,
    meeting_for_user,
    mentor_profile_for_user,
    mentoring_access,
    mentorship_for_user,
    proposal_for_user,
    proposed_pair_for_user,
    resident_profile_for_user,
)
from programs.models import Role
from tests.factories import FacultyFactory, ResidentFactory, RoleFactory, UserFactory
from tests.mentoring.factories import (
    MentorshipFactory,
    PairingProposalFactory,
    ProposedPairFactory,
)

pytestmark = pytest.mark.django_db


def access_of(user, slug="alpha"):
    return mentoring_access(user, slug)


class TestMentoringAccess:
    def test_it_finds_the_faculty_record_of_a_director_who_mentors(self, two_programs):
        director_record = FacultyFactory(program=two_programs.program, user=two_programs.director)
        access = access_of(two_programs.director)
        assert access.faculty == director_record
        assert access.can_manage

    def test_it_finds_the_resident_record_of_a_chief_resident(self, two_programs):
        record = ResidentFactory(
            program=two_programs.program,
            user=two_programs.chief,
            track=two_programs.resident.track,
        )
        assert access_of(two_programs.chief).resident == record

    def test_it_leaves_people_without_records_alone(self, two_programs):
        access = access_of(two_programs.director)
        assert access.faculty is None and access.resident is None

    def test_it_rejects_outsiders_and_anonymous_visitors(self, two_programs):
        with pytest.raises(Http404):
            access_of(two_programs.other_director)
        with pytest.raises(Http404):
            access_of(AnonymousUser())


class TestMentorshipForUser:
    def test_the_mentor_sees_everything(self, mentoring):
        granted = mentorship_for_user(
            access_of(mentoring.cast.faculty_user), mentoring.mentorship.pk, MentoringNeed.PRIVATE
        )
        assert granted.viewer is Viewer.MENTOR
        assert granted.sees_private_notes and granted.can_log

    def test_the_resident_sees_the_shared_parts(self, mentoring):
        granted = mentorship_for_user(
            access_of(mentoring.cast.resident_user), mentoring.mentorship.pk, MentoringNeed.SHARED
        )
        assert granted.viewer is Viewer.RESIDENT
        assert granted.sees_shared and not granted.sees_private_notes and not granted.can_log

    def test_a_director_sees_metadata_only(self, mentoring):
        granted = mentorship_for_user(access_of(mentoring.cast.director), mentoring.mentorship.pk)
        assert granted.viewer is Viewer.MANAGER
        assert not granted.sees_shared and not granted.sees_private_notes

    @pytest.mark.parametrize(
        "need", [MentoringNeed.SHARED, MentoringNeed.PRIVATE, MentoringNeed.LOG]
    )
    def test_a_director_may_not_read_content_or_log(self, mentoring, need):
        with pytest.raises(PermissionDenied):
            mentorship_for_user(access_of(mentoring.cast.director), mentoring.mentorship.pk, need)

    @pytest.mark.parametrize("need", [MentoringNeed.PRIVATE, MentoringNeed.LOG])
    def test_the_resident_may_not_read_notes_or_log(self, mentoring, need):
        with pytest.raises(PermissionDenied):
            mentorship_for_user(
                access_of(mentoring.cast.resident_user), mentoring.mentorship.pk, need
            )

    def test_the_mentor_does_not_respond_for_the_resident(self, mentoring):
        with pytest.raises(PermissionDenied):
            mentorship_for_user(
                access_of(mentoring.cast.faculty_user),
                mentoring.mentorship.pk,
                MentoringNeed.RESPOND,
            )

    @pytest.mark.parametrize("who", ["other_mentor_user", "other_mentee_user"])
    def test_other_mentors_and_residents_see_nothing(self, mentoring, who):
        with pytest.raises(Http404):
            mentorship_for_user(access_of(getattr(mentoring, who)), mentoring.mentorship.pk)

    def test_a_chief_resident_sees_nothing(self, mentoring):
        with pytest.raises(Http404):
            mentorship_for_user(access_of(mentoring.cast.chief), mentoring.mentorship.pk)

    def test_another_programs_director_sees_nothing(self, mentoring):
        access = access_of(mentoring.cast.other_director, "beta")
        with pytest.raises(Http404):
            mentorship_for_user(access, mentoring.mentorship.pk)

    def test_an_unknown_mentorship_is_a_404(self, mentoring):
        with pytest.raises(Http404):
            mentorship_for_user(access_of(mentoring.cast.director), 999_999)

    def test_a_director_who_mentors_sees_their_own_mentorship_as_its_mentor(self, mentoring):
        cast = mentoring.cast
        record = FacultyFactory(program=cast.program, user=cast.director)
        own = MentorshipFactory(program=cast.program, mentor=record)
        assert mentorship_for_user(access_of(cast.director), own.pk).viewer is Viewer.MENTOR
        other = mentorship_for_user(access_of(cast.director), mentoring.mentorship.pk)
        assert other.viewer is Viewer.MANAGER

    def test_an_ended_mentorship_can_no_longer_be_logged_on(self, mentoring):
        mentoring.mentorship.ended_on = mentoring.mentorship.started_on
        mentoring.mentorship.save(update_fields=["ended_on"])
        granted = mentorship_for_user(
            access_of(mentoring.cast.faculty_user), mentoring.mentorship.pk, MentoringNeed.LOG
        )
        assert not granted.can_log


class TestMeetingForUser:
    def test_each_viewer_gets_their_part(self, mentoring):
        cast, pk = mentoring.cast, mentoring.meeting.pk
        assert meeting_for_user(access_of(cast.faculty_user), pk).viewer is Viewer.MENTOR
        assert meeting_for_user(access_of(cast.resident_user), pk).viewer is Viewer.RESIDENT
        assert meeting_for_user(access_of(cast.director), pk).viewer is Viewer.MANAGER

    def test_private_notes_are_not_loaded_for_anyone(self, mentoring):
        granted = meeting_for_user(access_of(mentoring.cast.director), mentoring.meeting.pk)
        assert "private_notes" in granted.meeting.get_deferred_fields()

    def test_the_resident_may_respond_and_the_director_may_not(self, mentoring):
        cast, pk = mentoring.cast, mentoring.meeting.pk
        meeting_for_user(access_of(cast.resident_user), pk, MentoringNeed.RESPOND)
        with pytest.raises(PermissionDenied):
            meeting_for_user(access_of(cast.director), pk, MentoringNeed.RESPOND)

    @pytest.mark.parametrize("who", ["other_mentor_user", "other_mentee_user"])
    def test_other_mentors_and_residents_see_nothing(self, mentoring, who):
        with pytest.raises(Http404):
            meeting_for_user(access_of(getattr(mentoring, who)), mentoring.meeting.pk)

    def test_another_program_sees_nothing(self, mentoring):
        with pytest.raises(Http404):
            meeting_for_user(access_of(mentoring.cast.other_director, "beta"), mentoring.meeting.pk)


class TestActionItemForUser:
    def test_mentor_and_resident_may_tick(self, mentoring):
        item = mentoring.meeting.action_items.get()
        for user in (mentoring.cast.faculty_user, mentoring.cast.resident_user):
            found, _viewer = action_item_for_user(access_of(user), item.pk)
            assert found == item

    def test_a_director_may_not_tick(self, mentoring):
        item = mentoring.meeting.action_items.get()
        with pytest.raises(PermissionDenied):
            action_item_for_user(access_of(mentoring.cast.director), item.pk)

    def test_others_see_nothing(self, mentoring):
        item = mentoring.meeting.action_items.get()
        with pytest.raises(Http404):
            action_item_for_user(access_of(mentoring.other_mentee_user), item.pk)
        with pytest.raises(Http404):
            action_item_for_user(access_of(mentoring.cast.other_director, "beta"), item.pk)


class TestProposalForUser:
    def test_a_director_gets_their_programs_proposal(self, two_programs):
        proposal = PairingProposalFactory(program=two_programs.program)
        assert proposal_for_user(access_of(two_programs.director), proposal.pk) == proposal

    def test_faculty_and_residents_are_refused(self, two_programs):
        proposal = PairingProposalFactory(program=two_programs.program)
        for user in (two_programs.faculty_user, two_programs.resident_user, two_programs.chief):
            with pytest.raises(PermissionDenied):
                proposal_for_user(access_of(user), proposal.pk)

    def test_another_programs_proposal_is_a_404(self, two_programs):
        proposal = PairingProposalFactory(program=two_programs.other_program)
        with pytest.raises(Http404):
            proposal_for_user(access_of(two_programs.director), proposal.pk)

    def test_a_pair_must_belong_to_the_proposal(self, two_programs):
        proposal = PairingProposalFactory(program=two_programs.program)
        pair = ProposedPairFactory(proposal=proposal)
        other = ProposedPairFactory(proposal=PairingProposalFactory(program=two_programs.program))
        access = access_of(two_programs.director)
        assert proposed_pair_for_user(access, proposal.pk, pair.pk) == pair
        with pytest.raises(Http404):
            proposed_pair_for_user(access, proposal.pk, other.pk)


class TestProfiles:
    def test_a_mentor_edits_only_their_own_profile(self, mentoring):
        cast = mentoring.cast
        assert mentor_profile_for_user(access_of(cast.faculty_user), cast.faculty.pk)
        with pytest.raises(PermissionDenied):
            mentor_profile_for_user(access_of(cast.faculty_user), mentoring.other_mentor.pk)

    def test_a_director_edits_any_mentor_profile(self, mentoring):
        access = access_of(mentoring.cast.director)
        assert mentor_profile_for_user(access, mentoring.other_mentor.pk) == mentoring.other_mentor

    def test_a_mentor_profile_of_another_program_is_a_404(self, mentoring):
        other = FacultyFactory(program=mentoring.cast.other_program)
        with pytest.raises(Http404):
            mentor_profile_for_user(access_of(mentoring.cast.director), other.pk)

    def test_a_resident_edits_only_their_own_profile(self, mentoring):
        cast = mentoring.cast
        assert resident_profile_for_user(access_of(cast.resident_user), cast.resident.pk)
        with pytest.raises(Http404):
            resident_profile_for_user(access_of(cast.resident_user), mentoring.other_mentee.pk)

    def test_faculty_may_not_edit_a_residents_profile(self, mentoring):
        with pytest.raises(PermissionDenied):
            resident_profile_for_user(
                access_of(mentoring.cast.faculty_user), mentoring.cast.resident.pk
            )

    def test_a_director_edits_any_residents_profile(self, mentoring):
        access = access_of(mentoring.cast.director)
        assert resident_profile_for_user(access, mentoring.other_mentee.pk)

    def test_a_resident_of_another_program_is_a_404(self, mentoring):
        with pytest.raises(Http404):
            resident_profile_for_user(
                access_of(mentoring.cast.director), mentoring.cast.other_resident.pk
            )


def test_a_person_with_a_role_but_no_record_is_neither_mentor_nor_mentee(two_programs):
    user = UserFactory()
    RoleFactory(user=user, program=two_programs.program, kind=Role.Kind.FACULTY)
    access = access_of(user)
    assert access.faculty is None and access.resident is None
