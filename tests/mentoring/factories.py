"""factory-boy factories for mentoring models."""

import datetime

import factory

from mentoring.models import (
    ActionItem,
    Meeting,
    MentorPreference,
    Mentorship,
    PairingProposal,
    ProposedPair,
)
from tests.factories import FacultyFactory, ProgramFactory, ResidentFactory


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    program = factory.SubFactory(ProgramFactory)
    mentor = factory.SubFactory(FacultyFactory, program=factory.SelfAttribute("..program"))
    resident = factory.SubFactory(ResidentFactory, program=factory.SelfAttribute("..program"))
    started_on = datetime.date(2026, 1, 5)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mentorship = factory.SubFactory(MentorshipFactory)
    occurred_on = factory.LazyAttribute(lambda m: m.mentorship.started_on)
    duration_minutes = 30
    format = Meeting.Format.IN_PERSON
    kind = Meeting.Kind.REGULAR
    topics = factory.LazyFunction(lambda: ["career planning"])
    goals_discussed = "Shared goals"
    private_notes = ""


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = ActionItem.Owner.RESIDENT


class MentorPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorPreference

    resident = factory.SubFactory(ResidentFactory)
    faculty = factory.SubFactory(
        FacultyFactory, program=factory.SelfAttribute("..resident.program")
    )
    rank = 1


class PairingProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairingProposal

    program = factory.SubFactory(ProgramFactory)


class ProposedPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedPair

    proposal = factory.SubFactory(PairingProposalFactory)
    resident = factory.SubFactory(
        ResidentFactory, program=factory.SelfAttribute("..proposal.program")
    )
    mentor = factory.SubFactory(FacultyFactory, program=factory.SelfAttribute("..proposal.program"))
    score = 10
    reasons = factory.LazyFunction(lambda: ["both: research"])
