"""Where a program requires two-factor sign-in, everyone who can edit or publish there uses
it: directors, associate directors, coordinators and chief residents (who build and publish
schedules). Faculty and residents, who only read schedules, are not held up."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.selectors import user_must_set_up_mfa
from programs.models import Role
from scheduling.models import ScheduleVersion
from tests.factories import RoleFactory, UserFactory
from tests.scheduling.conftest import make_built


def _require_mfa(program):
    program.require_mfa_for_directors = True
    program.save(update_fields=["require_mfa_for_directors"])


@pytest.fixture
def strict(two_programs):
    _require_mfa(two_programs.program)
    return two_programs


@pytest.mark.parametrize("kind", sorted(Role.SCHEDULING))
def test_every_role_that_can_edit_or_publish_must_set_up_mfa(strict, kind):
    user = UserFactory()
    RoleFactory(user=user, program=strict.program, kind=kind)

    assert user_must_set_up_mfa(user)


@pytest.mark.parametrize("kind", [Role.Kind.FACULTY, Role.Kind.RESIDENT])
def test_readers_are_not_held_up(strict, kind):
    user = UserFactory()
    RoleFactory(user=user, program=strict.program, kind=kind)

    assert not user_must_set_up_mfa(user)


def test_a_chief_with_totp_is_let_through(strict):
    Authenticator.objects.create(user=strict.chief, type=Authenticator.Type.TOTP, data={})

    assert not user_must_set_up_mfa(strict.chief)


def test_a_chief_without_mfa_is_sent_to_set_it_up(client, strict):
    client.force_login(strict.chief)

    response = client.get(reverse("scheduling:index", args=["alpha"]))

    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_a_chief_without_mfa_cannot_publish(client, two_programs):
    built = make_built(two_programs)
    _require_mfa(two_programs.program)
    client.force_login(two_programs.chief)

    response = client.post(
        reverse("scheduling:publish", args=["alpha", "2027-2028", built.version.number])
    )

    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    built.version.refresh_from_db()
    assert built.version.status == ScheduleVersion.Status.DRAFT


def test_programs_that_do_not_require_mfa_let_chiefs_through(client, two_programs):
    client.force_login(two_programs.chief)

    assert client.get(reverse("scheduling:index", args=["alpha"])).status_code == 200
