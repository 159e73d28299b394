"""The API tests' world: alpha's year 2027-2028 with a published v1 (the cast's resident on
it), a draft v2, a finished build and a stored compliance run; beta has a year of the same
name and nothing in it. Each person of the cast holds a read-write token."""

import datetime
from dataclasses import dataclass

import pytest

from api.services import access_token_create
from compliance.services import compliance_run_create
from mentoring.models import Meeting, Mentorship
from programs.models import AcademicYear
from scheduling.models import BuildJob, ScheduleVersion
from tests.mentoring.factories import MeetingFactory, MentorshipFactory
from tests.support.compliance_world import World, build_world

YEAR = "2027-2028"
AS_OF = datetime.date(2027, 9, 6)
PEOPLE = ("director", "chief", "faculty_user", "resident_user", "other_director")


@dataclass
class ApiWorld:
    cast: object
    world: World
    published: ScheduleVersion
    draft: ScheduleVersion
    job: BuildJob
    classmate: object
    tokens: dict  # person -> raw read-write token
    mentorship: Mentorship  # the cast's faculty member mentors the cast's resident
    meeting: Meeting  # with private notes

    def auth(self, who: str) -> dict:
        """Request headers that act as `who` of the cast."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def api(two_programs) -> ApiWorld:
    world = build_world(program=two_programs.program, director=two_programs.director, residents=3)
    (published,) = world.versions
    schedule = world.schedules[0]
    draft = ScheduleVersion.objects.create(
        schedule=schedule, number=2, parent=published, source="copy"
    )
    job = BuildJob.objects.create(
        schedule=schedule,
        status=BuildJob.Status.SUCCEEDED,
        result_version=draft,
        requested_by=two_programs.chief,
    )
    compliance_run_create(schedule=schedule, trigger="edit", as_of=AS_OF)
    AcademicYear.objects.create(
        program=two_programs.other_program, name=YEAR, start=world.years[0].start, weeks=52
    )
    classmate = next(r for r in world.residents if r.pk != two_programs.resident.pk)
    tokens = {
        who: access_token_create(user=getattr(two_programs, who), name="t", scope="write").secret
        for who in PEOPLE
    }
    mentorship = MentorshipFactory(
        program=two_programs.program,
        mentor=two_programs.faculty,
        resident=two_programs.resident,
        started_on=datetime.date(2027, 7, 1),
    )
    meeting = MeetingFactory(
        mentorship=mentorship,
        occurred_on=datetime.date(2027, 8, 2),
        start_time=datetime.time(16, 30),
        goals_discussed="Cardiology fellowship plan",
        private_notes="MENTOR-ONLY: worried about burnout",
        resident_reflection="Helpful",
    )
    return ApiWorld(
        two_programs, world, published, draft, job, classmate, tokens, mentorship, meeting
    )


def free_swap(api: ApiWorld) -> dict:
    """An offer body the rules allow: the cast's resident exchanges one week with a
    classmate (the first fitting week and partner; the builder chose the cells)."""
    from django.core.exceptions import ValidationError

    from programs.models import Resident
    from resident_requests.services import swap_check

    if getattr(api, "_free_swap", None) is not None:
        return api._free_swap
    schedule = api.world.schedules[0]
    year = schedule.academic_year
    me = api.cast.resident
    for partner in Resident.objects.filter(program=me.program).exclude(pk=me.pk).order_by("pk"):
        for week in range(4, 30):
            try:
                swap_check(
                    schedule=schedule,
                    offered_by=me,
                    partner=partner,
                    weeks=[week],
                    partner_weeks=[],
                )
            except ValidationError:
                continue
            api._free_swap = {"partner": partner.external_id, "weeks": [str(year.week_start(week))]}
            return api._free_swap
    raise AssertionError("No week the rules allow to swap in the API world.")
