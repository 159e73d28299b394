"""End-to-end fixtures: Debian's Chromium driven by Playwright against a live server.

Playwright cannot download browsers here, so it drives `/usr/bin/chromium` through
`executable_path`, headless, without the network features a closed machine refuses. CI sets
`E2E_REQUIRED=1` so that a missing browser fails the run instead of skipping the tests.
"""

import os
import shutil

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by the
# tests themselves are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(f"Chromium is required for the browser tests but {CHROMIUM} is missing")
        pytest.skip("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser, live_server, transactional_db):
    """A fresh browser tab whose relative URLs go to the live server.

    Every journey also checks the Content-Security-Policy: anything the browser refused
    (an inline script, a handler, a source the policy does not allow) or any uncaught
    script error fails the test at the end.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"uncaught: {error}"))
    yield page
    context.close()
    assert refused == [], "the browser refused or failed: " + " | ".join(refused)


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form and wait for the landing page."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
