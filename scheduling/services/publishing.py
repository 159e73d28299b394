"""Who may publish a program's schedules (issue 11): a program setting, changed by its
managers and recorded in the program's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from history.models import Event
from history.services import history_record
from programs.models import Program, Role

#: Roles a program may let publish. Faculty and residents never publish a schedule.
PUBLISHER_CHOICES = (
    Role.Kind.DIRECTOR,
    Role.Kind.ASSOCIATE_DIRECTOR,
    Role.Kind.COORDINATOR,
    Role.Kind.CHIEF_RESIDENT,
)


@transaction.atomic
def program_set_publish_roles(*, program: Program, roles: list[str], by) -> Program:
    """Set the roles that may publish `program`'s schedules; the program director always
    may (someone must be able to). Returns the program."""
    wanted = [r for r in PUBLISHER_CHOICES if r in set(roles)]
    if set(roles) - set(PUBLISHER_CHOICES):
        raise ValidationError({"roles": "Only directors, coordinators and chiefs may publish."})
    if Role.Kind.DIRECTOR not in wanted:
        raise ValidationError({"roles": "The program director always may publish."})
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = list(program.publish_roles or [])
    if before == [str(r) for r in wanted]:
        return program
    program.publish_roles = [str(r) for r in wanted]
    program.full_clean()
    program.save(update_fields=["publish_roles"])
    history_record(
        program=program,
        kind=Event.Kind.SETUP_CHANGED,
        subject="Who may publish schedules",
        by=by,
        before={"publish_roles": before},
        after={"publish_roles": program.publish_roles},
    )
    return program
