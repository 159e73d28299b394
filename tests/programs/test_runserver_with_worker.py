"""`manage.py runserver_with_worker` (what `make run` starts): the dev server with a Celery
worker beside it on the embedded broker, both stopped together."""

import signal
import subprocess

import pytest
from django.core.management import call_command

from programs.management.commands import runserver_with_worker as command


class FakeWorker:
    started: list = []

    def __init__(self, args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.pid = 4242
        self.signals: list[int] = []
        self.returncode = None
        FakeWorker.started.append(self)

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        if signal.SIGTERM not in self.signals:
            raise subprocess.TimeoutExpired(self.args, timeout)
        self.returncode = 0
        return 0


@pytest.fixture
def fakes(monkeypatch, settings):
    settings.REDIS_URL = ""
    FakeWorker.started = []
    served = []
    monkeypatch.delenv("RUN_MAIN", raising=False)
    monkeypatch.setattr(command.subprocess, "Popen", FakeWorker)

    def signal_worker(pid, sig):
        assert pid == FakeWorker.started[-1].pid
        FakeWorker.started[-1].signals.append(sig)

    monkeypatch.setattr(command.os, "kill", signal_worker)
    monkeypatch.setattr(command.os, "killpg", signal_worker)

    def runserver(name, *args, **options):
        assert name == "runserver"
        served.append((args, len(FakeWorker.started)))  # workers running when it serves

    monkeypatch.setattr(command, "call_command", runserver)
    return served


def test_it_starts_a_worker_with_beat_on_both_queues_then_the_server(fakes):
    call_command("runserver_with_worker", "127.0.0.1:8123")
    [worker] = FakeWorker.started
    argv = " ".join(worker.args)
    assert "-m celery -A residency worker" in argv
    assert "--beat" in argv and "-Q default,solver" in argv
    assert worker.kwargs["start_new_session"] is True  # Ctrl-C is ours to pass on
    assert fakes == [(("127.0.0.1:8123",), 1)]


def test_it_stops_the_worker_when_the_server_stops(fakes):
    call_command("runserver_with_worker", "127.0.0.1:8123")
    assert FakeWorker.started[0].signals == [signal.SIGTERM]


def test_it_stops_the_worker_even_when_the_server_fails(fakes, monkeypatch):
    def broken(name, *args, **options):
        raise OSError("Address already in use")

    monkeypatch.setattr(command, "call_command", broken)
    with pytest.raises(OSError):
        call_command("runserver_with_worker", "127.0.0.1:8123")
    assert FakeWorker.started[0].signals == [signal.SIGTERM]


def test_the_reloaders_child_serves_without_a_second_worker(fakes, monkeypatch):
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("runserver_with_worker", "127.0.0.1:8123")
    assert fakes == [(("127.0.0.1:8123",), 0)]


def test_with_redis_the_worker_is_left_to_make_worker(fakes, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    call_command("runserver_with_worker", "127.0.0.1:8123")
    assert fakes == [(("127.0.0.1:8123",), 0)]


def test_a_worker_that_does_not_stop_in_time_is_killed_with_its_pool(fakes, monkeypatch):
    monkeypatch.setattr(FakeWorker, "wait", stubborn_wait)
    call_command("runserver_with_worker", "127.0.0.1:8123")
    assert FakeWorker.started[0].signals == [signal.SIGTERM, signal.SIGKILL]


def stubborn_wait(self, timeout=None):
    if signal.SIGKILL not in self.signals:
        raise subprocess.TimeoutExpired(self.args, timeout)
    return -9
