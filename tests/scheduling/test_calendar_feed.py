"""The personal calendar feed as calendar clients need it (RFC 5545, RFC 7986): stable UIDs,
SEQUENCE that grows only when a run changes, DTSTAMP on every event, folded CRLF lines,
refresh hints, and the same bytes for the same schedule."""

from django.urls import reverse
from icalendar import Calendar

from programs.models import Rotation
from scheduling.models import Assignment, CalendarFeed
from scheduling.services.versions import assignment_set, version_copy, version_publish


def _feed(client, user) -> bytes:
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if feed is None:
        client.force_login(user)
        client.post(reverse("calendar_rotate"))
        client.logout()
        feed = CalendarFeed.objects.get(user=user, revoked_at__isnull=True)
    return client.get(reverse("calendar_feed", args=[feed.token])).content


def _events(document: bytes) -> dict[str, dict]:
    return {
        str(e["uid"]): {"sequence": int(e.get("sequence", 0)), "end": e["dtend"].dt}
        for e in Calendar.from_ical(document).walk("VEVENT")
    }


def test_the_feed_is_well_formed_and_tells_clients_how_often_to_refresh(
    client, built, two_programs
):
    version_publish(version=built.version, by=two_programs.director)
    document = _feed(client, two_programs.resident_user)
    calendar = Calendar.from_ical(document)
    assert str(calendar["REFRESH-INTERVAL"].to_ical(), "ascii") == "PT1H"
    assert (
        str(calendar["X-PUBLISHED-TTL"], "ascii")
        if isinstance(calendar["X-PUBLISHED-TTL"], bytes)
        else calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    )
    assert calendar["NAME"] and calendar["X-WR-CALNAME"]
    events = calendar.walk("VEVENT")
    assert events and all("DTSTAMP" in e and "UID" in e for e in events)
    assert all(e["dtend"].dt > e["dtstart"].dt for e in events)  # all-day DTEND is exclusive
    lines = document.split(b"\r\n")
    assert b"\n" not in document.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in lines) <= 75  # folded


def test_two_reads_of_an_unchanged_schedule_are_identical(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    first = _feed(client, two_programs.resident_user)
    assert _feed(client, two_programs.resident_user) == first


def test_republishing_keeps_uids_and_bumps_sequence_only_for_a_changed_run(
    client, built, two_programs
):
    version_publish(version=built.version, by=two_programs.director)
    before = _events(_feed(client, two_programs.resident_user))
    assert before and all(e["sequence"] == 0 for e in before.values())

    # Republish unchanged: the same events, the same sequence.
    copy = version_copy(version=built.version, by=two_programs.director)
    version_publish(version=copy, by=two_programs.director)
    assert _events(_feed(client, two_programs.resident_user)) == before

    # Shorten one run of T01 by its last week: same UID, SEQUENCE 1; the others unchanged.
    resident = next(r for r in built.residents if r.user_id == two_programs.resident_user.pk)
    cells = dict(
        Assignment.objects.filter(version=copy, resident=resident).values_list(
            "week", "rotation__code"
        )
    )
    week = next(
        w for w in sorted(cells) if w > 0 and cells.get(w - 1) == cells[w] != cells.get(w + 1)
    )
    other = Rotation.objects.filter(program=built.program).exclude(code=cells[week]).first()
    draft = version_copy(version=copy, by=two_programs.director)
    assignment_set(version=draft, resident=resident, week=week, rotation=other)
    version_publish(version=draft, by=two_programs.director)
    after = _events(_feed(client, two_programs.resident_user))
    changed = [uid for uid in before if uid in after and after[uid] != before[uid]]
    assert len(changed) == 1
    assert after[changed[0]]["sequence"] == 1
    assert after[changed[0]]["end"] < before[changed[0]]["end"]
    assert all(after[uid] == before[uid] for uid in before if uid in after and uid not in changed)


def test_the_settings_page_offers_a_webcal_subscription_of_the_same_feed(client, two_programs):
    client.force_login(two_programs.resident_user)
    client.post(reverse("calendar_rotate"))
    feed = CalendarFeed.objects.get(user=two_programs.resident_user, revoked_at__isnull=True)
    page = client.get(reverse("calendar_settings")).content.decode()
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in page
