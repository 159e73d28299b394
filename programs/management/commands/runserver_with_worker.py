"""`python manage.py runserver_with_worker [ADDRPORT]`: the dev server with a Celery worker.

What `make run` starts. Without `REDIS_URL` tasks go to the embedded broker (files in
`EMBEDDED_BROKER_DIR`), so this starts a worker with beat for it, as `make worker` would:
a build runs off the request, its page shows live progress and can cancel it, exactly as
with Redis. Ctrl-C stops both. With `REDIS_URL` set, run `make worker` yourself (one beat
for the whole deployment).

Only the outer process starts the worker: the autoreloader runs this command again in a
child (`RUN_MAIN=true`) for each code change, and that child just serves.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

#: Seconds a worker gets to finish its current task before it is killed (its build is then
#: failed by the stale sweep, at the next start or the next build request).
STOP_WAIT_S = 10


class Command(BaseCommand):
    help = "Run the development server and, without REDIS_URL, a Celery worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        worker = None
        if os.environ.get("RUN_MAIN") != "true":
            if settings.REDIS_URL:
                self.stdout.write("REDIS_URL is set: start the worker with `make worker`.")
            else:
                worker = self._start_worker()
        try:
            call_command("runserver", options["addrport"])
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen:
        beat_schedule = settings.EMBEDDED_BROKER_DIR / "beat-schedule"
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "residency",
            "worker",
            "--beat",
            "--schedule",
            str(beat_schedule),
            "-Q",
            "default,solver",
            "--concurrency",
            "2",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ]
        self.stdout.write(f"Starting a Celery worker on the embedded broker: {' '.join(argv[1:])}")
        # A session of its own: Ctrl-C reaches the server, and this command stops the worker
        # (with its pool processes) deliberately.
        return subprocess.Popen(argv, start_new_session=True)

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is not None:
            return
        os.kill(worker.pid, signal.SIGTERM)  # warm shutdown: finish the current task
        try:
            worker.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.stdout.write("The worker is still busy; stopping it now.")
            os.killpg(worker.pid, signal.SIGKILL)  # its pool processes too
            worker.wait(timeout=STOP_WAIT_S)
