"""`python manage.py seed_demo [--reset] [--residents N]`: the demo program and its users.

Does nothing but print the sign-in details when the demo program is already there, so
`make run` can call it every time.
"""

from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from programs.demo import (
    DEMO_ADMIN_TOTP_SECRET,
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_USERS,
    demo_program_create,
    demo_program_delete,
    demo_users_create,
)
from programs.models import Program


class Command(BaseCommand):
    help = "Create the demo program (generated, scheduled and published) and its demo users."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete and recreate the demo.")
        parser.add_argument("--residents", type=int, default=72)
        parser.add_argument("--time-limit", type=int, default=20)

    def handle(self, *args, **options):
        if options["reset"]:
            demo_program_delete()
        program = Program.objects.filter(slug=DEMO_SLUG).first()
        if program is None:
            # The demo's own e-mails (invitations, meeting notices) are not for the console,
            # nor for a worker that would print them later: its tasks run here.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                _tasks_in_process(),
            ):
                program = demo_program_create(
                    residents=options["residents"],
                    time_limit_s=options["time_limit"],
                    log=self.stdout.write,
                )
        else:
            demo_users_create(program=program)
        self.stdout.write(self.style.SUCCESS(f"\nDemo program: {program.name}"))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ — every password is {DEMO_PASSWORD}")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.email:<34} {user.note}")
        self.stdout.write(
            "The admin (/admin/) asks the site admin for a two-factor code after the password: "
            f"add the key {DEMO_ADMIN_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp_code`."
        )


@contextmanager
def _tasks_in_process():
    from residency.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
