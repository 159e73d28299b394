"""Error pages in the product's layout, each with a way back; a favicon for every browser."""

from django.template.loader import get_template
from django.test import Client
from django.urls import reverse


def test_a_404_is_in_the_products_layout_with_a_way_back(client, two_programs):
    client.force_login(two_programs.director)
    response = client.get("/p/no-such-program/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page is not here" in html and 'href="/"' in html
    assert "app-nav" in html and "favicon.svg" in html


def test_a_403_says_why_in_the_products_layout(client, two_programs):
    client.force_login(two_programs.resident_user)
    response = client.get(reverse("compliance:dashboard", args=["alpha"]))
    assert response.status_code == 403
    assert "Your role in this program" in response.content.decode()


def test_an_expired_form_is_explained_and_nothing_is_saved(two_programs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(two_programs.resident_user)
    response = client.post(reverse("calendar_rotate"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    html = get_template("500.html").render({})
    assert "Something went wrong on our side" in html and 'href="/"' in html


def test_browsers_asking_for_favicon_ico_get_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
