"""Every branch of the access helpers, with an owner, a member and an outsider."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import Need, program_for_user, programs_for_user, resident_for_user
from tests.factories import ResidentFactory, UserFactory


def test_it_gives_a_director_everything(two_programs):
    access = program_for_user(two_programs.director, "alpha", Need.MANAGE)
    assert access.can_manage and access.can_schedule and access.can_see_roster


def test_it_lets_a_chief_schedule_but_not_manage(two_programs):
    assert program_for_user(two_programs.chief, "alpha", Need.SCHEDULE).can_schedule
    with pytest.raises(PermissionDenied):
        program_for_user(two_programs.chief, "alpha", Need.MANAGE)


def test_it_lets_faculty_see_the_roster_only(two_programs):
    access = program_for_user(two_programs.faculty_user, "alpha", Need.SEE_ROSTER)
    assert access.faculty == two_programs.faculty
    with pytest.raises(PermissionDenied):
        program_for_user(two_programs.faculty_user, "alpha", Need.SCHEDULE)


def test_it_gives_a_resident_their_own_record_only(two_programs):
    access = program_for_user(two_programs.resident_user, "alpha", Need.VIEW)
    assert access.resident == two_programs.resident
    assert resident_for_user(access, two_programs.resident.pk) == two_programs.resident
    classmate = ResidentFactory(program=two_programs.program, track=two_programs.resident.track)
    with pytest.raises(PermissionDenied):
        resident_for_user(access, classmate.pk)
    with pytest.raises(PermissionDenied):
        program_for_user(two_programs.resident_user, "alpha", Need.SEE_ROSTER)


def test_it_hides_a_program_from_outsiders(two_programs):
    for need in Need:
        with pytest.raises(Http404):
            program_for_user(two_programs.other_director, "alpha", need)


def test_it_hides_a_program_from_anonymous_visitors(two_programs):
    with pytest.raises(Http404):
        program_for_user(AnonymousUser(), "alpha", Need.VIEW)


def test_it_answers_404_for_unknown_programs(two_programs):
    with pytest.raises(Http404):
        program_for_user(two_programs.director, "no-such-program", Need.VIEW)


def test_it_hides_other_programs_residents_even_from_directors(two_programs):
    access = program_for_user(two_programs.director, "alpha", Need.VIEW)
    with pytest.raises(Http404):
        resident_for_user(access, two_programs.other_resident.pk)


def test_it_lists_only_the_users_programs(two_programs):
    assert list(programs_for_user(two_programs.director)) == [two_programs.program]
    assert list(programs_for_user(UserFactory())) == []


def test_it_gives_superusers_every_program(two_programs):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(programs_for_user(admin)) == {two_programs.program, two_programs.other_program}
    assert program_for_user(admin, "beta", Need.MANAGE).can_manage
