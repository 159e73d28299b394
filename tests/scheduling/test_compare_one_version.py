"""Compare with a single version says there is nothing to compare yet, never "v1 against v1"."""

import pytest
from django.urls import reverse

from scheduling.services.versions import version_copy

pytestmark = pytest.mark.django_db
YEAR = "2027-2028"


def test_one_version_is_not_compared_with_itself(client, built, two_programs):
    client.force_login(two_programs.director)
    response = client.get(reverse("scheduling:compare", args=["alpha", YEAR]), {"a": 1, "b": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="compare-one-version"' in page and "nothing to compare it with" in page
    assert "between v1 and v1" not in page and "<select" not in page
    assert response.context["a"] is None and response.context["b"] is None


def test_two_versions_are_compared_and_never_with_themselves(client, built, two_programs):
    copy = version_copy(version=built.version, by=two_programs.director)
    client.force_login(two_programs.director)
    url = reverse("scheduling:compare", args=["alpha", YEAR])
    response = client.get(url, {"a": copy.number, "b": copy.number})
    assert {response.context["a"].number, response.context["b"].number} == {1, copy.number}
    page = response.content.decode()
    assert "The two versions are identical." in page
    # Residents by name, not by the program's codes ("T01").
    assert "T01" not in page.split("<table", 1)[-1]
