"""Writes for accounts: inviting people into a program and accepting an invitation."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User, record_taken
from programs.models import Faculty, Program, Resident, Role
from residency.mail import email_queue

INVITATION_VALID_FOR = datetime.timedelta(days=14)


@transaction.atomic
def invitation_create(
    *,
    program: Program,
    email: str,
    role: str,
    by: User | None,
    resident: Resident | None = None,
    faculty: Faculty | None = None,
) -> Invitation:
    """Create an invitation and e-mail its link (sent once the transaction commits)."""
    if role not in Role.Kind.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    for record in (resident, faculty):
        if record is not None and record.program_id != program.pk:
            raise ValidationError("That person belongs to another program.")
    invitation = Invitation(
        program=program,
        email=email.strip().lower(),
        role=role,
        resident=resident,
        faculty=faculty,
        invited_by=by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    role_label = Role.Kind(role).label
    email_queue(
        subject=f"You are invited to {program.name}",
        body=(
            f"Hello,\n\n{by or 'The program'} invites you to join {program.name} as "
            f"{role_label.lower()}.\n\nSet your password and sign in here (valid 14 days):\n"
            f"{link}\n"
        ),
        to=[invitation.email],
    )
    return invitation


def invitation_is_usable(invitation: Invitation) -> bool:
    return invitation.accepted_at is None and invitation.expires_at > timezone.now()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, name: str, password: str | None) -> User:
    """Give the invited person their role; create their account with `password` if they have none.

    Links the resident or faculty record the invitation names to the account, unless it
    was linked to someone else's account since the invitation was sent.
    """
    if not invitation_is_usable(invitation):
        raise ValidationError("This invitation has expired or was already used.")
    for model, pk in ((Resident, invitation.resident_id), (Faculty, invitation.faculty_id)):
        record = model.objects.select_related("user").filter(pk=pk).first() if pk else None
        if record is not None and record_taken(record, invitation.email):
            raise ValidationError(
                "The record this invitation links is someone else's now: ask the program "
                "for a new invitation."
            )
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        if not password:
            raise ValidationError({"password": "Choose a password."})
        user = User.objects.create_user(email=invitation.email, password=password, name=name)
    Role.objects.get_or_create(user=user, program=invitation.program, kind=invitation.role)
    if invitation.resident_id:
        Resident.objects.filter(pk=invitation.resident_id).update(user=user)
    if invitation.faculty_id:
        Faculty.objects.filter(pk=invitation.faculty_id).update(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
