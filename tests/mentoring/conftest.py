"""Mentoring fixtures on top of `two_programs`.

`mentoring` adds to the cast: a mentorship of `faculty` with `resident` (started 5 Jan 2026)
with one logged meeting carrying private notes, a shared goal, a reflection and an action
item; a second faculty member (`other_mentor_user` / `other_mentor`) with their own mentee
(`other_mentee_user` / `other_mentee`). Tests run with the clock frozen on 1 Mar 2026,
noon UTC, unless they travel elsewhere.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from mentoring.models import Meeting, Mentorship
from programs.models import Role
from tests.factories import FacultyFactory, ResidentFactory, RoleFactory, UserFactory
from tests.mentoring.factories import ActionItemFactory, MeetingFactory, MentorshipFactory

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
SECRET = "SECRET-NOTE-only-for-the-mentor"
REFLECTION = "REFLECTION-of-the-resident"
GOALS = "GOALS-shared-between-the-two"
ITEM = "ITEM-draft-the-personal-statement"


@dataclass
class MentoringCast:
    cast: object
    mentorship: Mentorship
    meeting: Meeting
    other_mentor_user: object
    other_mentor: object
    other_mentee_user: object
    other_mentee: object
    other_mentorship: Mentorship


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mentoring(two_programs) -> MentoringCast:
    cast = two_programs
    program = cast.program
    program.timezone = "UTC"
    program.save(update_fields=["timezone"])
    mentorship = MentorshipFactory(
        program=program,
        mentor=cast.faculty,
        resident=cast.resident,
        started_on=datetime.date(2026, 1, 5),
    )
    meeting = MeetingFactory(
        mentorship=mentorship,
        occurred_on=datetime.date(2026, 2, 2),
        private_notes=SECRET,
        resident_reflection=REFLECTION,
        goals_discussed=GOALS,
        topics=["fellowship applications"],
    )
    ActionItemFactory(meeting=meeting, description=ITEM)
    other_mentor_user = UserFactory()
    RoleFactory(user=other_mentor_user, program=program, kind=Role.Kind.FACULTY)
    other_mentor = FacultyFactory(program=program, user=other_mentor_user)
    other_mentee_user = UserFactory()
    RoleFactory(user=other_mentee_user, program=program, kind=Role.Kind.RESIDENT)
    other_mentee = ResidentFactory(
        program=program, track=cast.resident.track, user=other_mentee_user
    )
    other_mentorship = MentorshipFactory(
        program=program, mentor=other_mentor, resident=other_mentee
    )
    return MentoringCast(
        cast=cast,
        mentorship=mentorship,
        meeting=meeting,
        other_mentor_user=other_mentor_user,
        other_mentor=other_mentor,
        other_mentee_user=other_mentee_user,
        other_mentee=other_mentee,
        other_mentorship=other_mentorship,
    )
