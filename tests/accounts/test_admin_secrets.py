"""What the admin never shows or lets anyone change: TOTP secrets and recovery codes (the
Authenticator admin is read-only and shows no `data`), e-mail address rows (read-only), and
privileges (only superusers may tick `is_superuser`, `is_staff`, groups, permissions)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from tests.support.mfa import give_totp

pytestmark = pytest.mark.django_db

VICTIM_SECRET = "VICTIMTOTPSECRETNOBODYMAYSEE2345"


@pytest.fixture
def victim(two_programs):
    """Beta's director, with TOTP, recovery codes and an e-mail address row."""
    user = two_programs.other_director
    give_totp(user, VICTIM_SECRET)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _secrets_of(user) -> list[str]:
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    wrapped = RecoveryCodes(codes)
    return [VICTIM_SECRET, codes.data["seed"], *wrapped.generate_codes()]


def test_the_authenticator_admin_never_shows_secrets_or_recovery_codes(operator_client, victim):
    secrets = _secrets_of(victim)
    urls = [reverse("admin:mfa_authenticator_changelist")]
    for authenticator in Authenticator.objects.filter(user=victim):
        urls.append(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
        urls.append(reverse("admin:mfa_authenticator_history", args=[authenticator.pk]))
    for url in urls:
        response = operator_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [secret for secret in secrets if secret in html], url


def test_authenticators_cannot_be_added_or_edited(operator_client, victim):
    totp = Authenticator.objects.get(user=victim, type=Authenticator.Type.TOTP)
    assert operator_client.get(reverse("admin:mfa_authenticator_add")).status_code == 403
    change = reverse("admin:mfa_authenticator_change", args=[totp.pk])
    response = operator_client.post(
        change, {"user": victim.pk, "type": "totp", "data": '{"secret": "MINE"}'}
    )
    assert response.status_code == 403
    totp.refresh_from_db()
    assert totp.data["secret"] == VICTIM_SECRET


def test_an_operator_may_remove_a_lost_authenticator(operator_client, victim):
    """The one thing an operator does here: a director lost their phone."""
    totp = Authenticator.objects.get(user=victim, type=Authenticator.Type.TOTP)
    url = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
    assert operator_client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()


@pytest.mark.parametrize("lookup", ["data__contains", "data__icontains", "data__secret"])
def test_authenticator_data_cannot_be_filtered_on(operator_client, victim, lookup):
    url = reverse("admin:mfa_authenticator_changelist")
    assert operator_client.get(url, {lookup: VICTIM_SECRET[:4]}).status_code == 400


def test_password_hashes_cannot_be_filtered_on(operator_client, victim):
    url = reverse("admin:accounts_user_changelist")
    assert operator_client.get(url, {"password__startswith": "md5$"}).status_code == 400


def test_email_addresses_are_read_only(operator_client, victim):
    row = EmailAddress.objects.get(user=victim)
    listing = operator_client.get(reverse("admin:account_emailaddress_changelist"))
    assert listing.status_code == 200
    assert "make_verified" not in listing.content.decode()
    assert operator_client.get(reverse("admin:account_emailaddress_add")).status_code == 403
    change = reverse("admin:account_emailaddress_change", args=[row.pk])
    assert operator_client.get(change).status_code == 200
    response = operator_client.post(
        change, {"user": victim.pk, "email": "attacker@example.org", "primary": "on"}
    )
    assert response.status_code == 403
    delete = reverse("admin:account_emailaddress_delete", args=[row.pk])
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.email == victim.email


PRIVILEGES = {"is_superuser", "is_staff", "groups", "user_permissions"}


def test_only_superusers_may_change_privileges(rf, two_programs, operator):
    """Moot while only superusers reach the admin, and kept so if that ever changes."""
    model_admin = admin.site._registry[User]
    staff = two_programs.director
    staff.is_staff = True
    request = rf.get("/admin/")
    request.user = staff
    assert set(model_admin.get_readonly_fields(request, staff)) >= PRIVILEGES
    request.user = operator
    assert not PRIVILEGES & set(model_admin.get_readonly_fields(request, staff))


def test_an_operator_can_grant_and_withdraw_staff_status(operator_client, two_programs):
    user = two_programs.director
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = operator_client.get(url).context["adminform"].form
    assert {"is_superuser", "is_staff", "groups"} <= set(form.fields)
