"""In a real browser: a director signs in and sees their roster; a resident is kept out of
another program's pages."""

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_a_director_signs_in_and_sees_the_roster(browser_page, two_programs):
    page = browser_page
    sign_in(page, two_programs.director.email)
    assert "Alpha IM" in page.title()
    page.click("text=Roster")
    page.wait_for_selector("#roster")
    rows = page.locator("#roster tbody tr")
    assert rows.count() == 1
    assert two_programs.resident.name in rows.first.inner_text()
    assert two_programs.other_resident.name not in page.content()


def test_a_resident_cannot_open_another_programs_pages(browser_page, two_programs):
    page = browser_page
    sign_in(page, two_programs.resident_user.email)
    for path in (
        "/p/beta/",
        "/p/beta/roster/",
        f"/p/beta/residents/{two_programs.other_resident.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        assert two_programs.other_resident.name not in page.content()
    response = page.goto("/p/alpha/roster/")
    assert response.status == 403


def test_a_wrong_password_is_refused_with_a_message(browser_page, two_programs):
    page = browser_page
    sign_in(page, two_programs.director.email, password="not the password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert, .invalid-feedback").count() >= 1
