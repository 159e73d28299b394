"""Who may see or change what in mentoring, on top of `programs.access`.

Privacy is the promise (DOMAIN.md, Mentoring). For one mentorship there are three viewers:

- the **mentor** (the faculty member whose `Faculty.user` is the user) sees everything of
  their own mentorships, including their `private_notes`, and logs meetings;
- the **resident** sees the shared parts: dates, formats, topics, goals discussed, action
  items, their own reflection; they confirm attendance, reflect and tick action items;
- a **manager** (director, associate director, coordinator, superuser) sees *metadata only*:
  that meetings happened, their date, duration, format, kind and topics, whether the resident
  confirmed attendance, and how many action items are open or done. Never private notes,
  goals discussed, action-item descriptions or the resident's reflection.

Everyone else sees nothing: other mentors and other residents get a 404, as do other
programs (through `program_for_user`). A viewer asking for more than their part gets a 403.
When one person is both the mentor and a director, the mentor part wins.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentoring.models import ActionItem, Meeting, Mentorship, PairingProposal, ProposedPair
from programs.access import Need, ProgramAccess, program_for_user
from programs.models import Faculty, Resident


class Viewer(StrEnum):
    MENTOR = "mentor"
    RESIDENT = "resident"
    MANAGER = "manager"


class MentoringNeed(StrEnum):
    """What a view needs to do with a mentorship or a meeting."""

    METADATA = "metadata"  # dates, formats, kinds, topics, counts
    SHARED = "shared"  # goals discussed, action items, the resident's reflection
    PRIVATE = "private"  # the mentor's private notes
    LOG = "log"  # log a meeting
    RESPOND = "respond"  # confirm attendance, write the reflection
    TICK = "tick"  # tick an action item off


ALLOWED: dict[Viewer, frozenset[MentoringNeed]] = {
    Viewer.MENTOR: frozenset(MentoringNeed) - {MentoringNeed.RESPOND},
    Viewer.RESIDENT: frozenset(
        {MentoringNeed.METADATA, MentoringNeed.SHARED, MentoringNeed.RESPOND, MentoringNeed.TICK}
    ),
    Viewer.MANAGER: frozenset({MentoringNeed.METADATA}),
}


@dataclass(frozen=True)
class MentorshipAccess:
    mentorship: Mentorship
    viewer: Viewer

    def allows(self, need: MentoringNeed) -> bool:
        return need in ALLOWED[self.viewer]

    @property
    def sees_shared(self) -> bool:
        return self.allows(MentoringNeed.SHARED)

    @property
    def sees_private_notes(self) -> bool:
        return self.allows(MentoringNeed.PRIVATE)

    @property
    def can_log(self) -> bool:
        return self.allows(MentoringNeed.LOG) and self.mentorship.is_active


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    viewer: Viewer

    def allows(self, need: MentoringNeed) -> bool:
        return need in ALLOWED[self.viewer]


def mentoring_access(user, slug: str, need: Need = Need.VIEW) -> ProgramAccess:
    """Return `program_for_user(user, slug, need)` with the user's own faculty and resident
    records in the program filled in, whatever their roles.

    A director who also mentors, or a chief resident who is also a resident, is a mentor or
    a mentee through their record (`Faculty.user`, `Resident.user`), not through a role.
    """
    access = program_for_user(user, slug, need)
    if not user.is_authenticated:
        return access
    changes = {}
    if access.faculty is None:
        changes["faculty"] = Faculty.objects.filter(program=access.program, user=user).first()
    if access.resident is None:
        changes["resident"] = Resident.objects.filter(program=access.program, user=user).first()
    return replace(access, **changes) if any(changes.values()) else access


def viewer_of(access: ProgramAccess, mentorship: Mentorship) -> Viewer | None:
    """Return how the user stands towards `mentorship`, or None if they may not see it."""
    if mentorship.program_id != access.program.pk:
        return None
    if access.faculty is not None and mentorship.mentor_id == access.faculty.pk:
        return Viewer.MENTOR
    if access.resident is not None and mentorship.resident_id == access.resident.pk:
        return Viewer.RESIDENT
    if access.can_manage:
        return Viewer.MANAGER
    return None


def _check(viewer: Viewer | None, need: MentoringNeed, what: str) -> Viewer:
    if viewer is None:
        raise Http404(f"No such {what}.")
    if need not in ALLOWED[viewer]:
        raise PermissionDenied(f"You may not do this with this {what}.")
    return viewer


def mentorship_for_user(
    access: ProgramAccess, pk: int, need: MentoringNeed = MentoringNeed.METADATA
) -> MentorshipAccess:
    """Return mentorship `pk` of the program and how the user sees it.

    404 unless the user is its mentor, its resident or a manager; 403 when their part does
    not include `need` (a director asking to log a meeting).
    """
    mentorship = (
        Mentorship.objects.select_related("mentor", "resident__track", "program")
        .filter(program=access.program, pk=pk)
        .first()
    )
    if mentorship is None:
        raise Http404("No such mentorship.")
    viewer = _check(viewer_of(access, mentorship), need, "mentorship")
    return MentorshipAccess(mentorship, viewer)


def meeting_for_user(
    access: ProgramAccess, pk: int, need: MentoringNeed = MentoringNeed.METADATA
) -> MeetingAccess:
    """Return meeting `pk` of the program and how the user sees it (rules as for mentorships).

    `private_notes` are deferred: they are only read from the database when the mentor's
    page asks for them.
    """
    meeting = (
        Meeting.objects.select_related(
            "mentorship__mentor", "mentorship__resident", "mentorship__program"
        )
        .defer("private_notes")
        .filter(mentorship__program=access.program, pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    viewer = _check(viewer_of(access, meeting.mentorship), need, "meeting")
    return MeetingAccess(meeting, viewer)


def action_item_for_user(
    access: ProgramAccess, pk: int, need: MentoringNeed = MentoringNeed.TICK
) -> tuple[ActionItem, Viewer]:
    """Return action item `pk` and the user's standing; its mentor or resident may tick it."""
    item = (
        ActionItem.objects.select_related(
            "meeting__mentorship__mentor", "meeting__mentorship__resident"
        )
        .defer("meeting__private_notes")
        .filter(meeting__mentorship__program=access.program, pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    viewer = _check(viewer_of(access, item.meeting.mentorship), need, "action item")
    return item, viewer


def proposal_for_user(access: ProgramAccess, pk: int) -> PairingProposal:
    """Return pairing proposal `pk` of the program: managers only (403 for other insiders)."""
    if not access.can_manage:
        raise PermissionDenied("Only the program's directors and coordinators pair mentors.")
    proposal = PairingProposal.objects.filter(program=access.program, pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def proposed_pair_for_user(access: ProgramAccess, proposal_pk: int, pk: int) -> ProposedPair:
    """Return pair `pk` of proposal `proposal_pk` (managers only, as the proposal)."""
    proposal = proposal_for_user(access, proposal_pk)
    pair = (
        ProposedPair.objects.select_related("proposal", "resident", "mentor")
        .filter(proposal=proposal, pk=pk)
        .first()
    )
    if pair is None:
        raise Http404("No such pair.")
    return pair


def mentor_profile_for_user(access: ProgramAccess, faculty_pk: int) -> Faculty:
    """Return the faculty member whose mentor profile the user may edit: their own, or any
    faculty member's for a manager (403 for other insiders, 404 outside the program)."""
    faculty = Faculty.objects.filter(program=access.program, pk=faculty_pk).first()
    if faculty is None:
        raise Http404("No such faculty member.")
    own = access.faculty is not None and access.faculty.pk == faculty.pk
    if not (own or access.can_manage):
        raise PermissionDenied("You may only edit your own mentor profile.")
    return faculty


def resident_profile_for_user(access: ProgramAccess, resident_pk: int) -> Resident:
    """Return the resident whose mentoring profile the user may edit: themselves, or anyone
    for a manager. Others who may see the roster get a 403, the rest a 404."""
    resident = (
        Resident.objects.select_related("track").filter(program=access.program, pk=resident_pk)
    ).first()
    if resident is None:
        raise Http404("No such resident.")
    own = access.resident is not None and access.resident.pk == resident.pk
    if own or access.can_manage:
        return resident
    if access.can_see_roster:
        raise PermissionDenied("You may only edit your own profile.")
    raise Http404("No such resident.")
