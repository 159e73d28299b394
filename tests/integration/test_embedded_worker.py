"""`make run` without Redis: the dev server and its worker on the embedded broker, as
separate processes on a fresh SQLite file. Starting a build returns at once, the status
endpoint shows the build running with live figures, then SUCCEEDED.

Needs no service, so it runs wherever `make test` runs; marked `integration` because it
starts processes and takes about half a minute.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
YEAR_SETUP = """
from programs.bundle import bundle_import
from programs.demo import demo_bundle, demo_users_create
from programs.models import Program
bundle_import(data=demo_bundle(residents=48))
program = Program.objects.get()
demo_users_create(program=program)
print("YEAR=" + program.academic_years.order_by("start").first().name)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    """Whether the dev server accepts connections on ``port`` yet."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _manage(env, *args, timeout=180) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, data: dict) -> tuple[str, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()


@pytest.fixture
def dev_server(tmp_path):
    """`manage.py runserver_with_worker` on a fresh SQLite database; yields its base URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "residency.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "EMBEDDED_BROKER_DIR": str(tmp_path / "celery"),
        "EMAIL_URL": "consolemail://",
        "BUILD_HEARTBEAT_S": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    _manage(env, "migrate", "--noinput")
    year = re.search(r"YEAR=(\S+)", _manage(env, "shell", "-c", YEAR_SETUP)).group(1)
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver_with_worker", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        ready = ""
        while time.monotonic() < deadline and not (" ready." in ready and _listening(port)):
            time.sleep(0.5)  # the worker says " ready."; the server's child binds on its own
            ready = (tmp_path / "server.log").read_text(errors="replace")
        assert " ready." in ready and _listening(port), ready[-3000:]
        yield base, year, tmp_path / "server.log"
    finally:
        server.terminate()  # the command stops its worker (SIGTERM, then SIGKILL)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        log.close()


def test_a_build_runs_off_the_request_and_shows_progress(dev_server, drill_figure):
    base, year, log = dev_server
    browser = Browser(base)
    browser.get("/accounts/login/")
    browser.post(
        "/accounts/login/", {"login": "chief@demo.residency.test", "password": "demo-pass-2027"}
    )
    grid = f"/p/riverside-im/schedule/{year}/"
    browser.get(grid)

    started = time.monotonic()
    job_url, _ = browser.post(grid + "build/", {"mode": "fresh", "time_limit_s": 30, "seed": 1})
    answered_s = time.monotonic() - started
    assert "/jobs/" in job_url, job_url
    assert answered_s < 2.0, f"the build request took {answered_s:.1f} s"

    states = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _, panel = browser.get(urllib.parse.urlparse(job_url).path + "status/")
        state = re.search(r'id="job-state">([^<]+)<', panel).group(1)
        solutions = int(re.search(r'id="job-solutions">(\d+)<', panel).group(1))
        states.append((state, solutions))
        if state not in ("Queued", "Running"):
            break
        time.sleep(0.5)
    log_text = log.read_text(errors="replace")
    assert states[-1][0] == "Succeeded", (states, log_text[-3000:])
    # Live figures while it ran: the worker writes them to the row with its heartbeat.
    assert any(state == "Running" and found > 0 for state, found in states), states
    assert "scheduling.tasks.schedule_build" in log_text  # run by the worker process
    drill_figure("embedded broker: build request answered in", answered_s)
    drill_figure("embedded broker: status polls (state, solutions)", str(states), unit="")
