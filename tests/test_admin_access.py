"""Every admin URL, tried by every kind of visitor (issue 9), as mentoring's URL test does
for its pages.

The URLs are those of the admin site and of every registered model (changelist, add,
change, delete, history and any page of its own), read from the admin's URL patterns; the
visitors are an anonymous one, a resident, a director, a staff user with every model
permission and a role, a superuser without two-factor, one with TOTP who entered no code
this session, and an operator signed in with TOTP. Only the operator gets in, and no page
shows them a private note, a reflection, goals discussed, an action item's description, a
TOTP secret or a recovery code.
"""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse

from accounts.services import invitation_create
from api.services import access_token_create
from compliance.models import ComplianceRun, Finding, ProgramLimits
from history.models import Event
from history.services import history_record
from programs.models import Requirement, ResidentRequest
from scheduling.models import Assignment, BuildJob, Schedule, ScheduleVersion, VersionResident
from tests.conftest import OPERATOR_TOTP_SECRET
from tests.factories import AcademicYearFactory, RotationFactory, StaffingRuleFactory, UserFactory
from tests.mentoring.factories import (
    ActionItemFactory,
    MeetingFactory,
    MentorPreferenceFactory,
    MentorshipFactory,
    PairingProposalFactory,
    ProposedPairFactory,
)
from tests.support.mfa import give_totp, sign_in_with_mfa

pytestmark = pytest.mark.django_db

NOTE = "PRIVATE-NOTE-a-mentor-wrote"
REFLECTION = "REFLECTION-a-resident-wrote"
GOALS = "GOALS-the-two-discussed"
ITEM = "ITEM-agreed-at-the-meeting"
VICTIM_SECRET = "VICTIMTOTPSECRETINTHEADMINTEST23"
NO_CODE_SECRET = "NOCODETOTPSECRETINTHEADMINTEST23"

#: The site's own pages: what the operator gets (the others get what every page gives them).
# The API token made in `world`, and its stored hash: neither may show in any admin page.
TOKENS: list[str] = []

SITE_PAGES = {
    "index": 200,
    "login": 302,  # already in: on to the index
    "logout": 405,  # POST only
    "password_change": 200,
    "password_change_done": 200,
    "jsi18n": 200,
    "autocomplete": 403,  # no field named: Django refuses
    "view_on_site": 404,  # meetings have no page of their own
    "app_list": 200,
}


@pytest.fixture
def world(two_programs):
    """A row of every registered model, with content nobody may see in the admin."""
    cast = two_programs
    program = cast.program
    year = AcademicYearFactory(program=program)
    rotation = RotationFactory(program=program, code="WARDS")
    StaffingRuleFactory(rotation=rotation)
    requirement = Requirement.objects.create(program=program, pgy_levels=[1], min_weeks=1)
    requirement.rotations.set([rotation])
    ResidentRequest.objects.create(
        resident=cast.resident, kind=ResidentRequest.Kind.AVOID, rotation=rotation
    )
    mentorship = MentorshipFactory(program=program, mentor=cast.faculty, resident=cast.resident)
    meeting = MeetingFactory(
        mentorship=mentorship,
        private_notes=NOTE,
        resident_reflection=REFLECTION,
        goals_discussed=GOALS,
    )
    ActionItemFactory(meeting=meeting, description=ITEM)
    MentorPreferenceFactory(resident=cast.resident, faculty=cast.faculty)
    proposal = PairingProposalFactory(program=program)
    ProposedPairFactory(proposal=proposal, resident=cast.resident, mentor=cast.faculty)
    schedule = Schedule.objects.create(program=program, academic_year=year)
    version = ScheduleVersion.objects.create(schedule=schedule, number=1)
    VersionResident.objects.create(
        version=version, resident=cast.resident, pgy=1, track=cast.resident.track, cohort=0
    )
    Assignment.objects.create(version=version, resident=cast.resident, week=0, rotation=rotation)
    BuildJob.objects.create(schedule=schedule, result_version=version)
    run = ComplianceRun.objects.create(schedule=schedule, version=version, trigger="manual")
    Finding.objects.create(
        run=run, severity="warning", rule_id="R1", reference="IV.C", message="A finding"
    )
    ProgramLimits.objects.create(program=program, overrides={})
    history_record(program=program, kind=Event.Kind.PUBLISH, subject="v1", by=cast.director)
    invitation_create(program=program, email="new@example.org", role="resident", by=cast.director)
    Group.objects.create(name="operators")
    victim = cast.other_director
    give_totp(victim, VICTIM_SECRET)
    EmailAddress.objects.create(user=victim, email=victim.email, primary=True, verified=True)
    new = access_token_create(user=victim, name="Paging board", scope="write")
    TOKENS[:] = [new.secret, new.token.secret_hash]
    return cast


def _secrets() -> list[str]:
    """Everything the admin must never show: meeting content, TOTP secrets, recovery codes."""
    found = [NOTE, REFLECTION, GOALS, ITEM, VICTIM_SECRET, OPERATOR_TOTP_SECRET, *TOKENS]
    for codes in Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES):
        found += [codes.data["seed"], *RecoveryCodes(codes).generate_codes()]
    return found


def _kwargs(pattern: URLPattern, row) -> dict:
    names = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    kwargs = {}
    if "object_id" in names or "id" in names:
        kwargs["object_id" if "object_id" in names else "id"] = row.pk
    return kwargs


def admin_pages(rf, operator) -> list[tuple[str, int]]:
    """Every admin URL, with the status the operator should get there."""
    request = rf.get("/admin/")
    request.user = operator
    meeting_type = ContentType.objects.get(app_label="mentoring", model="meeting")
    pages = []
    for pattern in admin.site.get_urls():
        if not isinstance(pattern, URLPattern) or pattern.name not in SITE_PAGES:
            continue
        if pattern.name == "app_list":
            labels = {model._meta.app_label for model in admin.site._registry}
            pages += [(reverse("admin:app_list", args=[label]), 200) for label in sorted(labels)]
        elif pattern.name == "view_on_site":
            from mentoring.models import Meeting

            args = [meeting_type.pk, Meeting.objects.get().pk]
            pages.append((reverse("admin:view_on_site", args=args), SITE_PAGES["view_on_site"]))
        else:
            pages.append((reverse(f"admin:{pattern.name}"), SITE_PAGES[pattern.name]))
    for model, model_admin in admin.site._registry.items():
        row = model._default_manager.order_by("pk").first()
        for pattern in model_admin.get_urls():
            if pattern.name is None:  # the bare <object_id>/ redirect to the change page
                continue
            action = pattern.name.rsplit("_", 1)[-1]
            allowed = {
                "add": model_admin.has_add_permission(request),
                "delete": model_admin.has_delete_permission(request, row),
            }.get(action, True)
            url = reverse(f"admin:{pattern.name}", kwargs=_kwargs(pattern, row))
            pages.append((url, 200 if allowed else 403))
    return pages


def test_every_model_has_a_row_and_every_page_is_tried(rf, world, operator):
    missing = [m._meta.label for m in admin.site._registry if not m._default_manager.exists()]
    assert missing == []
    names = {p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name}
    assert names == set(SITE_PAGES)
    assert len(admin_pages(rf, operator)) >= 5 * len(admin.site._registry)


# --- who gets in ---------------------------------------------------------------------------


def _staff_with_every_permission(cast):
    user = cast.director
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.all())
    return user


REFUSED = {
    "a resident": lambda cast: cast.resident_user,
    "a director": lambda cast: cast.director,
    "staff with every permission": _staff_with_every_permission,
}


@pytest.mark.parametrize("who", sorted(REFUSED))
def test_program_people_are_refused_everywhere(client, rf, world, operator, who):
    client.force_login(REFUSED[who](world))
    statuses = [(url, client.get(url).status_code) for url, _ in admin_pages(rf, operator)]
    assert [(url, status) for url, status in statuses if status != 403] == []


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(client, rf, world, operator):
    ways_in = {reverse("admin:login"), reverse("account_login"), reverse("admin:index")}
    wrong = []
    for url, _ in admin_pages(rf, operator):
        response = client.get(url)
        if response.status_code != 302 or urlsplit(response["Location"]).path not in ways_in:
            wrong.append((url, response.status_code))
    assert wrong == []


@pytest.mark.parametrize(
    ("totp", "sent_to"), [(False, "mfa_activate_totp"), (True, "mfa_reauthenticate")]
)
def test_a_superuser_without_a_code_this_session_is_sent_to_two_factor_everywhere(
    client, rf, world, operator, totp, sent_to
):
    root = UserFactory(is_staff=True, is_superuser=True)
    if totp:
        give_totp(root, NO_CODE_SECRET)
    client.force_login(root)
    wrong = []
    for url, _ in admin_pages(rf, operator):
        response = client.get(url)
        if response.status_code != 302 or urlsplit(response["Location"]).path != reverse(sent_to):
            wrong.append((url, response.status_code))
    assert wrong == []


def test_the_operator_gets_in_everywhere_and_never_sees_a_secret(client, rf, world, operator):
    sign_in_with_mfa(client, operator, OPERATOR_TOTP_SECRET)
    secrets = _secrets()
    wrong, shown = [], []
    for url, expected in admin_pages(rf, operator):
        response = client.get(url)
        if response.status_code != expected:
            wrong.append((url, response.status_code, expected))
        html = response.content.decode(errors="replace")
        shown += [(url, secret) for secret in secrets if secret in html]
    assert wrong == []
    assert shown == []


def test_no_admin_search_finds_a_secret(client, rf, world, operator):
    """A search that matched would tell what the secret says, one guess at a time."""
    sign_in_with_mfa(client, operator, OPERATOR_TOTP_SECRET)
    request = rf.get("/admin/")
    request.user = operator
    found = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.get_search_fields(request):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for secret in (NOTE, REFLECTION, GOALS, ITEM, VICTIM_SECRET[:8]):
            response = client.get(url, {"q": secret})
            assert response.status_code == 200, url
            if response.context["cl"].result_count:
                found.append((url, secret))
    assert found == []
