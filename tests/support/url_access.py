"""Helpers for the URL-by-URL access tests (`tests/<app>/test_urls_access.py`).

Those tests try every URL of an app with each role of the `two_programs` cast; `status_as`
lets one test ask the same URL as several people, each against the same data: every request
runs in a savepoint that is rolled back, so a director's publish or copy does not change
what the chief finds next.
"""

from django.db import transaction

# The alpha cast, in the order the role matrices list their statuses.
ROLES = ("director", "chief", "faculty_user", "resident_user")


def status_as(client, user, method: str, url: str, data: dict | None = None) -> int:
    """The status `user` (None: an anonymous visitor) gets; nothing the request wrote stays."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    return response.status_code


def statuses_by_role(client, cast, method: str, url: str, data: dict | None = None) -> dict:
    """{role: status} for each role of `ROLES` in `cast`."""
    return {role: status_as(client, getattr(cast, role), method, url, data) for role in ROLES}


def matrix_row(statuses: tuple[int, int, int, int]) -> dict:
    """A role matrix row, (director, chief, faculty, resident), as {role: status}."""
    return dict(zip(ROLES, statuses, strict=True))


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]
