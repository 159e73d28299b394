"""The one place that decides who may see or change what in a program.

Every view reaches program data through these helpers. An outsider gets a 404 (a program's
existence is not revealed); an insider without the needed role gets a 403.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.models import Faculty, Program, Resident, Role


class Need(StrEnum):
    """What a view needs to do with a program."""

    VIEW = "view"  # anyone with a role in the program
    SEE_ROSTER = "see_roster"  # everyone but residents: directors, coordinators, chiefs, faculty
    SCHEDULE = "schedule"  # build and edit schedules: managers and chief residents
    MANAGE = "manage"  # run the program: directors, associate directors, coordinators


@dataclass
class ProgramAccess:
    """A user's standing in one program, as the access helpers found it."""

    program: Program
    roles: frozenset[str]
    resident: Resident | None = None
    faculty: Faculty | None = None
    is_staff: bool = field(default=False)

    @property
    def can_manage(self) -> bool:
        return self.is_staff or bool(self.roles & Role.MANAGING)

    @property
    def can_schedule(self) -> bool:
        return self.is_staff or bool(self.roles & Role.SCHEDULING)

    @property
    def can_see_roster(self) -> bool:
        return self.can_schedule or Role.Kind.FACULTY in self.roles

    @property
    def is_resident(self) -> bool:
        return Role.Kind.RESIDENT in self.roles

    @property
    def is_faculty(self) -> bool:
        return Role.Kind.FACULTY in self.roles

    def allows(self, need: Need) -> bool:
        if need is Need.VIEW:
            return self.is_staff or bool(self.roles)
        if need is Need.SEE_ROSTER:
            return self.can_see_roster
        if need is Need.SCHEDULE:
            return self.can_schedule
        return self.can_manage


def program_access(user, program: Program) -> ProgramAccess:
    """The user's roles in `program` and their resident/faculty records there (two queries)."""
    if not user.is_authenticated:
        return ProgramAccess(program=program, roles=frozenset())
    roles = frozenset(
        Role.objects.filter(user=user, program=program).values_list("kind", flat=True)
    )
    resident = faculty = None
    if Role.Kind.RESIDENT in roles:
        resident = Resident.objects.filter(program=program, user=user).first()
    if Role.Kind.FACULTY in roles:
        faculty = Faculty.objects.filter(program=program, user=user).first()
    return ProgramAccess(
        program=program,
        roles=roles,
        resident=resident,
        faculty=faculty,
        is_staff=user.is_superuser,
    )


def program_for_user(user, slug: str, need: Need = Need.VIEW) -> ProgramAccess:
    """The program `slug` if `user` may do `need` there: 404 for outsiders, 403 for too little."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    access = program_access(user, program)
    if not access.allows(Need.VIEW):
        raise Http404("No such program.")
    if not access.allows(need):
        raise PermissionDenied("Your role in this program does not allow this.")
    return access


def resident_for_user(access: ProgramAccess, resident_pk: int) -> Resident:
    """A resident of the program the user may see: anyone on the roster side, or themselves."""
    resident = (
        Resident.objects.select_related("track", "user")
        .filter(program=access.program, pk=resident_pk)
        .first()
    )
    if resident is None:
        raise Http404("No such resident.")
    if access.can_see_roster:
        return resident
    if access.resident is not None and access.resident.pk == resident.pk:
        return resident
    raise PermissionDenied("You may only see your own record.")


def programs_for_user(user):
    """The programs in which `user` holds any role (all of them for superusers)."""
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(roles__user=user).distinct()
