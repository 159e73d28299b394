"""`create_api_token` prints a working token (stored only as its hash)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from api.models import AccessToken
from api.services import token_hash

pytestmark = pytest.mark.django_db


def _create(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_the_printed_token_works_and_only_its_hash_is_stored(client, two_programs):
    raw = _create(two_programs.director.email, "--write", "--days", "7")
    token = AccessToken.objects.get(user=two_programs.director)
    assert token.scope == "write" and token.secret_hash == token_hash(raw)
    assert raw not in str(AccessToken.objects.values_list().get())
    response = client.get(reverse("api:program_list"), headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_read_only_by_default_and_unknown_people_are_an_error(two_programs):
    _create(two_programs.chief.email)
    assert AccessToken.objects.get(user=two_programs.chief).scope == "read"
    with pytest.raises(CommandError):
        _create("nobody@example.org")
    with pytest.raises(CommandError):
        _create(two_programs.chief.email, "--days", "0")
