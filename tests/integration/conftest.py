"""Integration fixtures: the real PostgreSQL, Redis and a Celery worker process.

The tests here run only when `DATABASE_URL` is PostgreSQL and `REDIS_URL` is set (Redis
db 15, which is flushed before and after); otherwise they are skipped, and with
`INTEGRATION_REQUIRED=1` (CI) a missing service fails the run instead. For example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/residency_t \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python -m pytest tests/integration

`celery_worker_process` starts one real worker for the session (`celery -A residency worker
-Q default,solver -P solo`), pointed at pytest-django's test database with eager mode off,
and turns eager mode off in the test process for the test that uses it. Use it with data
the worker can see: it brings `transactional_db` along, so every write commits. A test that
kills the worker (the failure drills) leaves it running again: the fixture restarts a dead
one before the next test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT_S = 60


def _missing_services() -> str:
    """Why the integration services are not usable here, or "" when they are."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "DATABASE_URL does not point at PostgreSQL"
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error})"
    return ""


@pytest.fixture(scope="session")
def integration_services() -> None:
    """Skip (or, with INTEGRATION_REQUIRED=1, fail) when PostgreSQL or Redis is missing."""
    missing = _missing_services()
    if missing:
        if os.environ.get("INTEGRATION_REQUIRED") == "1":
            pytest.fail(f"The integration tests are required but {missing}.")
        pytest.skip(f"Integration tests need PostgreSQL and Redis: {missing}.")


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def _test_database_url() -> str:
    """A DATABASE_URL for pytest-django's test database (its NAME, not the configured one)."""
    db = connection.settings_dict
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@dataclass
class WorkerProcess:
    """The session's worker. The failure drills kill it (`kill`) and start it again
    (`start`); its log keeps growing across restarts."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start the worker and wait until it is ready; returns the seconds that took."""
        started = time.monotonic()
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=sink, stderr=subprocess.STDOUT
            )
        self.wait_for(lambda: " ready." in self.output()[offset:], timeout=WORKER_START_TIMEOUT_S)
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would (solo pool: this is
        the whole worker, the running task included)."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, condition: Callable[[], object], *, timeout: float = 60, every: float = 0.2):
        """Poll `condition` until it returns something truthy; fail with the worker's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker died:\n{self.output()[-4000:]}")
            time.sleep(every)
        pytest.fail(f"Gave up after {timeout} s waiting; worker log:\n{self.output()[-4000:]}")


def _celery_executable() -> str:
    local = Path(sys.executable).with_name("celery")
    return str(local if local.exists() else ROOT / ".venv" / "bin" / "celery")


@pytest.fixture(scope="session")
def _celery_worker(integration_services, django_db_setup, tmp_path_factory):
    """One worker for the session, stopped before the test database is dropped."""
    _flush_redis()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "residency.settings.test",
        "CELERY_EAGER": "0",
        "DATABASE_URL": _test_database_url(),
        "PYTHONUNBUFFERED": "1",
        # The drills read the worker's log to see tasks received and done.
        "TASK_LOG_LEVEL": "DEBUG",
    }
    command = [
        _celery_executable(),
        "-A",
        "residency",
        "worker",
        "-Q",
        "default,solver",
        "-P",
        "solo",
        "-l",
        "info",
        "-n",
        f"integration-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    worker = WorkerProcess(command, env, tmp_path_factory.mktemp("celery") / "worker.log")
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        _flush_redis()


@pytest.fixture
def celery_worker_process(_celery_worker, transactional_db):
    """The running worker, with eager mode off in this process for the test's duration.

    Redis is flushed before the test so no task left over from another test runs in it.
    """
    from residency.celery import app as celery_app

    if _celery_worker.process.poll() is not None:  # a drill killed it and did not restart it
        _celery_worker.start()
    _flush_redis()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield _celery_worker
    finally:
        celery_app.conf.task_always_eager = eager
        _flush_redis()


_DRILL_FIGURES: list[str] = []


@pytest.fixture
def drill_figure(record_property):
    """Record a failure drill's figure: in the JUnit report and in the run's summary."""

    def record(name: str, value: float | str, unit: str = "s") -> None:
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        record_property(name, text)
        _DRILL_FIGURES.append(f"{name}: {text}{' ' + unit if unit else ''}")

    return record


def pytest_terminal_summary(terminalreporter):
    if _DRILL_FIGURES:
        terminalreporter.section("failure drill figures")
        for line in _DRILL_FIGURES:
            terminalreporter.write_line(line)
