"""Every response carries a Content-Security-Policy that allows no inline script, and no
template has one: scripts are static files from /static/, chart data travels in json_script
blocks, and behaviour (confirmations, copy buttons) hangs on data attributes."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from compliance.services import compliance_run_create
from tests.scheduling.conftest import make_built
from tests.support.compliance_world import build_world

_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
_DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/json["']""", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Inline scripts (a `<script>` without `src` that is not a JSON data block), inline event
    handlers (`onclick=`...) and `javascript:` URLs found in `html`: what the policy blocks."""
    found = [
        f"<script{attrs}>"
        for attrs in _SCRIPT.findall(html)
        if "src=" not in attrs and not _DATA_BLOCK.search(attrs)
    ]
    found += [f"{name}= handler" for name in _HANDLER.findall(html)]
    found += ["javascript: URL"] * html.lower().count("javascript:")
    return found


def _templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += Path(settings.BASE_DIR).glob("*/templates")  # any app's own templates
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_the_checker_finds_what_the_policy_would_block():
    assert inline_code('<script>alert(1)</script><a onclick="x()">') == [
        "<script>",
        "onclick= handler",
    ]
    assert inline_code('<a href="javascript:go()">') == ["javascript: URL"]
    assert inline_code('<script src="/static/js/app.js"></script>') == []
    assert inline_code('<script id="d" type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.name)
def test_no_template_has_inline_script(path):
    assert inline_code(path.read_text()) == [], path


def test_the_policy_allows_scripts_from_this_site_only(client, db):
    directives = _directives(client.get(reverse("account_login")))

    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_the_schedule_grid_carries_the_policy_and_no_inline_code(client, two_programs):
    built = make_built(two_programs)
    client.force_login(two_programs.director)

    response = client.get(
        reverse("scheduling:grid", args=["alpha", built.schedule.academic_year.name])
    )

    assert response.status_code == 200 and "script-src" in _directives(response)
    assert inline_code(response.content.decode()) == []


def test_the_chart_pages_carry_the_policy_and_no_inline_code(client, two_programs):
    world = build_world(
        program=two_programs.program, director=two_programs.director, residents=5, years=1
    )
    compliance_run_create(
        schedule=world.schedules[-1], trigger="edit", as_of=datetime.date(2027, 9, 6)
    )
    client.force_login(two_programs.director)
    pages = [
        reverse("compliance:dashboard", args=["alpha"]),
        reverse("compliance:resident_balance", args=["alpha", world.residents[0].pk]),
    ]

    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "script-src" in _directives(response), url
        assert 'type="application/json"' in html, url  # the chart data is still there
        assert inline_code(html) == [], url


def test_the_two_factor_and_admin_pages_from_other_packages_have_no_inline_code(operator_client):
    # The admin opens only to a superuser signed in with two factors (the operator).
    for url in (reverse("mfa_index"), reverse("admin:index"), "/admin/programs/program/"):
        response = operator_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.parametrize(
    "name",
    ["mfa/totp/activate_form.html", "mfa/recovery_codes/index.html", "mfa/authenticate.html"],
)
def test_allauths_two_factor_templates_have_no_inline_code(name):
    """The set-up pages need a fresh sign-in to render; their templates are read instead."""
    assert inline_code(Path(get_template(name).origin.name).read_text()) == []
