"""WCAG 2.2 AA, checked by axe-core (from npm, node_modules/axe-core) on every main page, as
the role that uses it, at desktop (1280 px) and phone (390 px) widths. A serious or
critical violation fails the test, with the rule, the elements and axe's advice."""

from pathlib import Path

import pytest
from django.conf import settings

from mentoring.models import Mentorship
from programs.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SLUG, demo_program_create
from programs.models import Resident
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
P = f"/p/{DEMO_SLUG}"


def axe_serious(page) -> list[str]:
    """Serious and critical axe violations on the page, one line per rule."""
    page.evaluate(AXE.read_text())  # through the DevTools protocol: the page's CSP allows it
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "wcag22aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.impact} ${v.id}: ${v.help} — ` +
                    v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | "));
        }"""
    )
    return found


@pytest.fixture
def demo(transactional_db):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` (package.json devDependencies)")
    program = demo_program_create(residents=15, time_limit_s=10, log=lambda *args: None)
    resident = Resident.objects.get(program=program, user__email=f"resident@{DEMO_DOMAIN}")
    mentorship = Mentorship.objects.filter(program=program).order_by("pk").first()
    year = program.academic_years.order_by("start").first()
    version = year.schedule.versions.order_by("-number").first()
    return {
        "director": [
            "/",
            f"{P}/",
            f"{P}/roster/",
            f"{P}/residents/{resident.pk}/",
            f"{P}/schedule/",
            f"{P}/schedule/{year.name}/",
            f"{P}/schedule/residents/{resident.pk}/",
            f"{P}/compliance/",
            f"{P}/compliance/residents/{resident.pk}/",
            f"{P}/compliance/{year.name}/heatmap/",
            f"{P}/mentoring/",
            f"{P}/mentoring/mentorships/{mentorship.pk}/",
            f"{P}/home/",
            f"{P}/schedule/on-service/",
            f"{P}/schedule/{year.name}/v{version.number}/",
            f"{P}/requests/queue/",
            f"{P}/requests/record/",
            f"{P}/requests/limits/",
            f"{P}/setup/program/",
            f"{P}/setup/tracks/",
            f"{P}/setup/rotations/",
            f"{P}/setup/rotations/new/",
            f"{P}/setup/requirements/",
            f"{P}/setup/years/",
            f"{P}/setup/residents/",
            f"{P}/setup/faculty/",
            f"{P}/history/",
            "/programs/new/",
            "/calendar/",
            "/account/tokens/",
            "/accounts/password/change/",
        ],
        "chief": [f"{P}/schedule/{year.name}/", f"{P}/compliance/", f"{P}/mentoring/"],
        "coordinator": [f"{P}/", f"{P}/roster/", f"{P}/people/"],
        "mentor": ["/", f"{P}/mentoring/", f"{P}/mentoring/mentor/", "/calendar/"],
        "resident": [
            "/",
            f"{P}/schedule/mine/",
            f"{P}/requests/",
            f"{P}/requests/new/",
            f"{P}/requests/swaps/new/",
            f"{P}/compliance/residents/{resident.pk}/",
            f"{P}/mentoring/me/",
            "/calendar/",
        ],
    }


def test_every_main_page_passes_axe_at_desktop_and_phone_widths(browser, live_server, demo):
    problems = []
    for role, paths in demo.items():
        for width in WIDTHS:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            sign_in(page, f"{role}@{DEMO_DOMAIN}", DEMO_PASSWORD)
            for path in paths:
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                assert response.status == 200, f"{role} {path}: {response.status}"
                problems += [f"{role} {width}px {path}: {line}" for line in axe_serious(page)]
            context.close()
    assert problems == [], "axe found serious or critical violations:\n" + "\n".join(problems)
