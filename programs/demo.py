"""The demo program that `make run` loads: a realistic program of its own, with demo users.

It is generated (programs/bundle/generator.py), imported like any bundle, scheduled by the
solver and published, so that every page has something true to show from the first minute.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from programs.bundle import bundle_import
from programs.bundle.generator import generate_bundle
from programs.models import Faculty, Program, Resident, Role

DEMO_SLUG = "riverside-im"
DEMO_PASSWORD = "demo-pass-2027"
DEMO_DOMAIN = "demo.residency.test"
#: The demo site admin's TOTP key. Public, like the demo password: the admin needs two-factor
#: sign-in (residency.admin), and a newcomer adds this key to an authenticator app or runs
#: `manage.py demo_totp_code`. Never seed the demo on a real site.
DEMO_ADMIN_TOTP_SECRET = "RESIDENCYDEMOADMINTOTPKEY2345672"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str | None
    note: str


DEMO_USERS = (
    DemoUser(
        f"director@{DEMO_DOMAIN}", "Dr. Dana Whitfield", Role.Kind.DIRECTOR, "program director"
    ),
    DemoUser(f"coordinator@{DEMO_DOMAIN}", "Casey Morgan", Role.Kind.COORDINATOR, "coordinator"),
    DemoUser(f"chief@{DEMO_DOMAIN}", "Dr. Jordan Pike", Role.Kind.CHIEF_RESIDENT, "chief resident"),
    DemoUser(f"mentor@{DEMO_DOMAIN}", "", Role.Kind.FACULTY, "faculty mentor"),
    DemoUser(f"resident@{DEMO_DOMAIN}", "", Role.Kind.RESIDENT, "PGY-1 resident"),
    DemoUser(f"admin@{DEMO_DOMAIN}", "Site Admin", None, "Django admin (superuser, with TOTP)"),
)


def current_academic_year_start(today: datetime.date | None = None) -> datetime.date:
    """The Monday of the week holding 1 July that starts the academic year containing `today`."""
    today = today or timezone.localdate()
    year = today.year if today >= _year_start(today.year) else today.year - 1
    return _year_start(year)


def _year_start(year: int) -> datetime.date:
    first = datetime.date(year, 7, 1)
    return first - datetime.timedelta(days=first.weekday())


def demo_bundle(*, residents: int = 72, seed: int = 2027) -> dict:
    bundle = generate_bundle(
        residents=residents, seed=seed, slug=DEMO_SLUG, year_start=current_academic_year_start()
    )
    bundle["program"]["name"] = "Riverside Internal Medicine Residency"
    bundle["program"]["institution"] = "Riverside University Hospital"
    return bundle


@transaction.atomic
def demo_users_create(*, program: Program) -> list[DemoUser]:
    """Create (or reset the passwords of) the demo users and give them their roles."""
    resident = (
        Resident.objects.filter(program=program, pgy=1, track__code="CAT").order_by("external_id")
    ).first() or Resident.objects.for_program(program).order_by("external_id").first()
    mentor = (
        Faculty.objects.filter(program=program, mentor_capacity__gt=0).order_by("external_id")
    ).first()
    for spec in DEMO_USERS:
        name = spec.name
        if spec.role == Role.Kind.RESIDENT:
            name = resident.name
        elif spec.role == Role.Kind.FACULTY:
            name = mentor.name
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User(email=spec.email)
        user.name = name
        user.is_staff = user.is_superuser = spec.role is None
        user.set_password(DEMO_PASSWORD)
        user.save()
        if spec.role is None:
            _demo_admin_totp(user)
        else:
            Role.objects.get_or_create(user=user, program=program, kind=spec.role)
        if spec.role == Role.Kind.RESIDENT:
            Resident.objects.filter(pk=resident.pk).update(user=user)
        elif spec.role == Role.Kind.FACULTY:
            Faculty.objects.filter(pk=mentor.pk).update(user=user)
    return list(DEMO_USERS)


def _demo_admin_totp(user: User) -> None:
    """Give the demo site admin TOTP with the demo's published key (replacing any other)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, DEMO_ADMIN_TOTP_SECRET)


def demo_admin_totp_code() -> str:
    """The code an authenticator app with the demo admin's key shows now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_ADMIN_TOTP_SECRET, counter))


def demo_program_create(*, residents: int = 72, time_limit_s: int = 20, log=print) -> Program:
    """Import the generated program, create the demo users, build and publish the schedule."""
    from scheduling.models import BuildJob
    from scheduling.services import builds, versions

    bundle = demo_bundle(residents=residents)
    bundle_import(data=bundle)
    program = Program.objects.get(slug=DEMO_SLUG)
    demo_users_create(program=program)
    director = User.objects.get(email=f"director@{DEMO_DOMAIN}")
    for year in program.academic_years.all():
        schedule = builds.schedule_get_or_create(year=year)
        log(f"Building the {year.name} schedule ({residents} residents, up to {time_limit_s} s)…")
        job = BuildJob.objects.create(schedule=schedule, time_limit_s=time_limit_s, seed=1)
        job = builds.build_job_run(job_id=job.pk)
        if job.result_version is None:
            log(f"  the build ended as {job.status}: {'; '.join(job.explanation)}")
            continue
        versions.version_publish(version=job.result_version, by=director)
        version = job.result_version
        log(
            f"  {version.solver_status}, gap {version.gap:.3f}, "
            f"{version.wall_time_s:.1f} s; published as v{version.number}"
        )
    meetings = demo_mentoring_create(program=program, director=director)
    log(f"Paired every resident with a mentor and logged {meetings} meetings.")
    return program


def demo_mentoring_create(*, program: Program, director: User) -> int:
    """Pair every resident with a mentor (the optimiser's proposal, approved) and log meetings.

    Mentorships are dated back to the start of the academic year so that the dashboards show
    a realistic mix: most on track, a few due soon, some overdue.
    """
    import random

    from mentoring.models import Mentorship
    from mentoring.services.meetings import ActionItemInput, meeting_log
    from mentoring.services.pairing import pairing_approve, pairing_propose

    proposal = pairing_propose(program=program, by=director)
    mentorships = pairing_approve(proposal=proposal, by=director)
    year_start = current_academic_year_start()
    Mentorship.objects.filter(pk__in=[m.pk for m in mentorships]).update(started_on=year_start)
    today = timezone.localdate()
    chance = random.Random(7)
    topics = ["career planning", "wellness", "fellowship applications", "research", "feedback"]
    logged = 0
    for mentorship in Mentorship.objects.filter(program=program).select_related("mentor"):
        mentor_user = mentorship.mentor.user or director
        days_ago = chance.choice([6, 20, 45, 70, 100, 130])
        when = max(year_start, today - datetime.timedelta(days=days_ago))
        meeting_log(
            mentorship=mentorship,
            by=mentor_user,
            occurred_on=when,
            start_time=datetime.time(chance.choice([7, 12, 16, 17]), chance.choice([0, 30])),
            duration_minutes=chance.choice([30, 45, 60]),
            topics=chance.sample(topics, 2),
            goals_discussed="Reviewed rotation feedback and goals for the next block.",
            private_notes="Seems tired after nights; check in on wellness next time.",
            action_items=[
                ActionItemInput(
                    description="Draft a one-page career plan",
                    due_on=when + datetime.timedelta(days=30),
                )
            ],
            today=today,
        )
        logged += 1
    return logged


def demo_program_delete() -> None:
    Program.objects.filter(slug=DEMO_SLUG).delete()
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
