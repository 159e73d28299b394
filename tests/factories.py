"""factory-boy factories for the models tests need most."""

import datetime
from decimal import Decimal

import factory

from accounts.models import User
from programs.models import (
    AcademicYear,
    Faculty,
    Program,
    Resident,
    Role,
    Rotation,
    StaffingRule,
    Track,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n} Internal Medicine")
    institution = "Example Medical Center"


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    ambulatory_min = Decimal("0.34")
    ambulatory_max = Decimal("0.5")


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear

    program = factory.SubFactory(ProgramFactory)
    name = "2027-2028"
    start = datetime.date(2027, 6, 28)
    weeks = 52


class RotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rotation

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"ROT{n}")
    name = factory.Sequence(lambda n: f"Rotation {n}")
    setting = Rotation.Setting.INPATIENT
    phase = Rotation.Phase.X


class StaffingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffingRule

    rotation = factory.SubFactory(RotationFactory)
    pgy_levels = [1, 2, 3]
    min_residents = 0
    max_residents = 4


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    program = factory.SubFactory(ProgramFactory)
    external_id = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    pgy = 1
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))


class FacultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faculty

    program = factory.SubFactory(ProgramFactory)
    external_id = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"faculty{n}@example.org")
    mentor_capacity = 3
    interests = ["medical education"]


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    kind = Role.Kind.DIRECTOR
