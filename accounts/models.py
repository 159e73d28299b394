"""People who sign in, and the invitations that bring them in.

There is no open sign-up: a program invites a person by e-mail; the link in that e-mail lets
them set a password, and accepting it gives them the invited role in that program.
"""

import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from programs.validators import validate_printable


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their e-mail address; there is no username."""

    username = None
    first_name = None
    last_name = None
    name = models.CharField(max_length=200, blank=True, validators=[validate_printable])
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        """The first name, keeping a title with it ("Dr. Dana", not "Dr.")."""
        words = (self.name or self.email).split()
        if len(words) > 1 and words[0].endswith("."):
            return " ".join(words[:2])
        return words[0]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mailed invitation to join a program in a role; single use, expires."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=32)
    resident = models.ForeignKey(
        "programs.Resident", null=True, blank=True, on_delete=models.CASCADE
    )
    faculty = models.ForeignKey("programs.Faculty", null=True, blank=True, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.role} in {self.program_id}"

    @property
    def role_label(self) -> str:
        from programs.models import Role

        return Role.Kind(self.role).label if self.role in Role.Kind.values else self.role

    def clean(self) -> None:
        """The records it links are of its program and not someone else's already: accepting
        links them to the invitee's account (see `require_account_link`)."""
        from programs.links import require_one_program

        require_one_program(self, self.program_id, "resident", "faculty")
        for field in ("resident", "faculty"):
            record = getattr(self, field) if getattr(self, f"{field}_id") else None
            if record is not None and record_taken(record, self.email):
                raise ValidationError(
                    {field: "This record is linked to another person's account already."}
                )


def record_taken(record, email: str) -> bool:
    """True when a faculty or resident `record` is linked to an account other than `email`'s."""
    return record.user_id is not None and record.user.email.lower() != email.strip().lower()
