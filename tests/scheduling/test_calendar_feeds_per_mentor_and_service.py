"""The mentor's and the service's calendar feeds as clients need them (RFC 5545, RFC 7986),
each behind its own revocable secret: parsed with `icalendar`, DTSTAMP on every event, CRLF
lines of at most 75 octets, a name and a colour, stable UIDs with SEQUENCE growing only when
a week's team changes, timed meetings in the program's time zone, and never private notes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from mentoring.models import Meeting
from programs.models import Role, Rotation
from scheduling.exports import export_version
from scheduling.models import Assignment, CalendarFeed
from scheduling.services.calendar import calendar_feed_issue
from scheduling.services.versions import assignment_set, version_copy, version_publish
from tests.mentoring.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db

NOTES = "PRIVATE: the mentor's own words"


def _create(client, user, **fields) -> CalendarFeed:
    """The feed `user` makes on the calendar page (POST), as the page does it."""
    client.force_login(user)
    response = client.post(reverse("calendar_rotate"), fields)
    client.logout()
    assert response.status_code == 302, response.status_code
    return CalendarFeed.objects.get(user=user, kind=fields["kind"], revoked_at__isnull=True)


def _read(client, feed) -> bytes:
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def _well_formed(document: bytes) -> Calendar:
    assert b"\n" not in document.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in document.split(b"\r\n")) <= 75  # octets, folded
    calendar = Calendar.from_ical(document)
    assert calendar["X-WR-CALNAME"] == calendar["NAME"]
    assert calendar["COLOR"] and str(calendar["X-APPLE-CALENDAR-COLOR"]).startswith("#")
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    events = calendar.walk("VEVENT")
    assert all("DTSTAMP" in e and "UID" in e for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    return calendar


def _events(document: bytes) -> dict[str, dict]:
    return {
        str(e["uid"]): {"sequence": int(e.get("sequence", 0)), "summary": str(e["summary"])}
        for e in Calendar.from_ical(document).walk("VEVENT")
    }


# --- Who is on a service ------------------------------------------------------------------


def test_a_service_feed_names_who_is_on_the_rotation_each_week(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    feed = _create(client, two_programs.director, kind="service", program="alpha", rotation="ICU")
    calendar = _well_formed(_read(client, feed))
    assert "ICU" in str(calendar["NAME"])
    icu = Rotation.objects.get(program=built.program, code="ICU")
    weeks = set(
        Assignment.objects.filter(version=built.version, rotation=icu).values_list(
            "week", flat=True
        )
    )
    events = calendar.walk("VEVENT")
    assert len(events) == len(weeks) > 0
    event = events[0]
    assert event["dtend"].dt - event["dtstart"].dt == datetime.timedelta(weeks=1)
    assert str(event["summary"]).startswith("ICU: Tiny Resident")
    assert "(T0" in str(event["description"]) and "PGY-" in str(event["description"])
    assert str(calendar["X-APPLE-CALENDAR-COLOR"]) == icu.color.upper()


def test_two_reads_of_an_unchanged_service_feed_are_identical(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    feed = _create(client, two_programs.chief, kind="service", program="alpha", rotation="WARDS")
    assert _read(client, feed) == _read(client, feed)


def test_a_republish_keeps_uids_and_bumps_sequence_only_for_a_changed_week(
    client, built, two_programs
):
    version_publish(version=built.version, by=two_programs.director)
    feed = _create(client, two_programs.director, kind="service", program="alpha", rotation="WARDS")
    before = _events(_read(client, feed))
    assert before and all(e["sequence"] == 0 for e in before.values())

    copy = version_copy(version=built.version, by=two_programs.director)
    version_publish(version=copy, by=two_programs.director)
    unchanged = _read(client, feed)
    assert _events(unchanged) == before

    # Take one resident off WARDS in one week (two residents there, so the week stays).
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    cells = Assignment.objects.filter(version=copy, rotation=wards).select_related("resident")
    by_week: dict[int, list] = {}
    for cell in cells:
        by_week.setdefault(cell.week, []).append(cell.resident)
    week, team = next((w, t) for w, t in sorted(by_week.items()) if len(t) >= 2)
    other = Rotation.objects.filter(program=built.program).exclude(code="WARDS").first()
    draft = version_copy(version=copy, by=two_programs.director)
    assignment_set(version=draft, resident=team[0], week=week, rotation=other)
    version_publish(
        version=draft, by=two_programs.director, override_reason="A week on another service"
    )
    after = _events(_read(client, feed))
    changed = [uid for uid in before if after.get(uid) != before[uid]]
    assert changed == [f"alpha-service-WARDS-{built.schedule.academic_year.name}-w{week}"]
    assert after[changed[0]]["sequence"] == 1
    assert set(after) == set(before)


def test_only_people_who_see_the_roster_get_a_service_feed(client, built, two_programs):
    client.force_login(two_programs.resident_user)
    fields = {"kind": "service", "program": "alpha", "rotation": "ICU"}
    assert client.post(reverse("calendar_rotate"), fields).status_code == 403
    client.force_login(two_programs.other_director)
    assert client.post(reverse("calendar_rotate"), fields).status_code == 404
    client.force_login(two_programs.director)
    unknown = client.post(reverse("calendar_rotate"), {**fields, "rotation": "NOPE"})
    assert unknown.status_code == 404
    assert not CalendarFeed.objects.filter(kind="service").exists()


def test_a_service_feed_stops_when_its_owner_loses_the_roster(client, built, two_programs):
    feed = _create(client, two_programs.chief, kind="service", program="alpha", rotation="ICU")
    Role.objects.filter(user=two_programs.chief, program=built.program).delete()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


# --- A mentor's meetings ------------------------------------------------------------------


@pytest.fixture
def meetings(two_programs):
    mentorship = MentorshipFactory(
        program=two_programs.program, mentor=two_programs.faculty, resident=two_programs.resident
    )
    timed = MeetingFactory(
        mentorship=mentorship,
        occurred_on=datetime.date(2026, 3, 9),  # after the US switched to summer time
        start_time=datetime.time(16, 30),
        duration_minutes=45,
        private_notes=NOTES,
        goals_discussed="GOALS: shared with the resident only",
        topics=["research", "a very long topic name that makes the description line fold"],
    )
    undated = MeetingFactory(mentorship=mentorship, occurred_on=datetime.date(2026, 2, 2))
    return timed, undated


def test_a_mentors_feed_has_timed_meetings_in_the_programs_time_zone(
    client, two_programs, meetings
):
    timed, undated = meetings
    feed = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    document = _read(client, feed)
    calendar = _well_formed(document)
    zone = two_programs.program.timezone
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zone]
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"mentoring-meeting-{timed.pk}@residency"]
    assert event["dtstart"].params["TZID"] == zone
    start = event["dtstart"].dt
    assert (start.hour, start.minute, str(start.tzinfo)) == (16, 30, zone)
    assert start.utcoffset() == datetime.timedelta(hours=-4)  # EDT on 9 March 2026
    assert event["dtend"].dt - start == datetime.timedelta(minutes=45)
    assert b"DTSTART;TZID=America/New_York:20260309T163000" in document
    all_day = events[f"mentoring-meeting-{undated.pk}@residency"]
    assert all_day["dtstart"].dt == datetime.date(2026, 2, 2)
    assert NOTES.encode() not in document and b"GOALS" not in document
    assert _read(client, feed) == document


def test_only_a_mentor_gets_a_mentoring_feed(client, two_programs, meetings):
    client.force_login(two_programs.director)  # no faculty record in alpha
    fields = {"kind": "mentor", "program": "alpha"}
    assert client.post(reverse("calendar_rotate"), fields).status_code == 403
    client.force_login(two_programs.other_director)
    assert client.post(reverse("calendar_rotate"), fields).status_code == 404
    assert not CalendarFeed.objects.filter(kind="mentor").exists()


def test_a_mentors_feed_shows_only_their_own_meetings(client, two_programs, meetings):
    someone_else = MeetingFactory(
        mentorship=MentorshipFactory(program=two_programs.program), private_notes="other"
    )
    feed = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    uids = set(_events(_read(client, feed)))
    assert f"mentoring-meeting-{someone_else.pk}@residency" not in uids
    assert len(uids) == Meeting.objects.filter(mentorship__mentor=two_programs.faculty).count()


def test_a_new_link_revokes_the_old_one_and_revoke_kills_it(client, two_programs, meetings):
    first = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    second = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    assert client.get(reverse("calendar_feed", args=[first.token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[second.token])).status_code == 200
    client.force_login(two_programs.faculty_user)
    client.post(
        reverse("calendar_rotate"), {"kind": "mentor", "program": "alpha", "action": "revoke"}
    )
    assert client.get(reverse("calendar_feed", args=[second.token])).status_code == 404


def test_each_kind_of_feed_has_its_own_secret(two_programs, built):
    icu = Rotation.objects.get(program=built.program, code="ICU")
    user = two_programs.faculty_user
    tokens = {
        calendar_feed_issue(user=user, kind="personal").token,
        calendar_feed_issue(user=user, kind="mentor", program=built.program).token,
        calendar_feed_issue(user=user, kind="service", program=built.program, rotation=icu).token,
    }
    assert len(tokens) == 3
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 3


def test_the_calendar_page_offers_webcal_links_for_each_feed(client, built, two_programs):
    Rotation.objects.filter(program=built.program).update(color="#dc3545")
    mentor = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    service = _create(
        client, two_programs.faculty_user, kind="service", program="alpha", rotation="ICU"
    )
    client.force_login(two_programs.faculty_user)
    page = client.get(reverse("calendar_settings")).content.decode()
    assert f'href="webcal://testserver/calendar/{mentor.token}.ics"' in page
    assert f'href="webcal://testserver/calendar/{service.token}.ics"' in page
    assert page.count("Create link") == Rotation.objects.filter(program=built.program).count() - 1


def test_a_bad_kind_is_an_error_message_not_a_500(client, two_programs):
    client.force_login(two_programs.director)
    response = client.post(reverse("calendar_rotate"), {"kind": "everything"}, follow=True)
    assert response.status_code == 200
    assert "Choose a kind of calendar." in response.content.decode()


def test_the_mentors_page_leads_to_their_meetings_feed(client, two_programs, meetings):
    client.force_login(two_programs.faculty_user)
    page = client.get(reverse("mentoring:index", args=["alpha"])).content.decode()
    assert f'href="{reverse("calendar_settings")}#feeds-alpha"' in page
    calendar = client.get(reverse("calendar_settings")).content.decode()
    assert 'id="feeds-alpha"' in calendar and "Create my mentoring link" in calendar


@pytest.mark.parametrize("fmt", ["ics", "json", "csv"])
def test_two_exports_of_an_unchanged_schedule_are_identical(built, two_programs, fmt):
    version_publish(version=built.version, by=two_programs.director)
    first = export_version(built.version, fmt)
    assert export_version(built.version, fmt) == first
    if fmt == "ics":
        _well_formed(first)


def _queries(client, feed) -> int:
    with CaptureQueriesContext(connection) as captured:
        _read(client, feed)
    return len(captured)


def test_a_service_feed_reads_a_fixed_number_of_queries(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    feed = _create(client, two_programs.director, kind="service", program="alpha", rotation="ICU")
    once = _queries(client, feed)
    for _ in range(3):  # more publications, more history to read
        copy = version_copy(version=built.version, by=two_programs.director)
        version_publish(version=copy, by=two_programs.director)
    assert _queries(client, feed) == once <= 8


def test_a_mentors_feed_reads_a_fixed_number_of_queries(client, two_programs, meetings):
    feed = _create(client, two_programs.faculty_user, kind="mentor", program="alpha")
    once = _queries(client, feed)
    mentorship = meetings[0].mentorship
    for day in range(1, 8):
        MeetingFactory(mentorship=mentorship, occurred_on=datetime.date(2026, 4, day))
    assert _queries(client, feed) == once <= 8
