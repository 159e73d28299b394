"""History is append-only: recorded inside the change's transaction, never rewritten."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from history.models import Event
from history.selectors import history_for_program
from history.services import history_record
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_records_who_what_before_and_after():
    program = ProgramFactory()
    director = UserFactory()
    event = history_record(
        program=program,
        kind=Event.Kind.SETUP_CHANGED,
        subject="Rotation ICU",
        by=director,
        before={"max_consecutive_weeks": 4},
        after={"max_consecutive_weeks": 3},
        reason="Fatigue policy",
    )
    [stored] = history_for_program(program=program)
    assert stored == event
    assert stored.actor == director
    assert stored.before == {"max_consecutive_weeks": 4}
    assert stored.after == {"max_consecutive_weeks": 3}


def test_an_event_cannot_be_changed_through_the_model():
    event = history_record(program=ProgramFactory(), kind=Event.Kind.PUBLISH, subject="v1")
    event.subject = "v2"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_an_event_cannot_be_changed_behind_the_models_back():
    event = history_record(program=ProgramFactory(), kind=Event.Kind.PUBLISH, subject="v1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(subject="rewritten")
    event.refresh_from_db()
    assert event.subject == "v1"


def test_deleting_the_program_takes_its_history_with_it():
    program = ProgramFactory()
    history_record(program=program, kind=Event.Kind.PUBLISH, subject="v1")
    program.delete()
    assert not Event.objects.exists()


def test_an_anonymous_job_is_recorded_without_an_actor():
    event = history_record(program=ProgramFactory(), kind=Event.Kind.BUILD, subject="v3", by=None)
    assert event.actor is None
