"""A resident's own schedule and calendar feed."""

from django.urls import reverse
from icalendar import Calendar

from scheduling.exports import rotation_runs
from scheduling.models import CalendarFeed
from scheduling.selectors import version_rows
from scheduling.services.versions import version_publish


def test_a_resident_sees_nothing_before_publishing(client, built, two_programs):
    client.force_login(two_programs.resident_user)
    page = client.get(reverse("scheduling:my_schedule", args=["alpha"])).content.decode()
    assert "No published schedule yet" in page


def test_a_resident_sees_their_published_rotations(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.resident_user)
    page = client.get(reverse("scheduling:my_schedule", args=["alpha"])).content.decode()
    first = built.version.assignments.filter(resident=built.residents[0]).order_by("week")[0]
    assert first.rotation.name in page
    assert 'class="timeline' in page


def test_a_resident_cannot_open_a_classmates_schedule(client, built, two_programs):
    client.force_login(two_programs.resident_user)
    url = reverse("scheduling:resident_schedule", args=["alpha", built.residents[1].pk])
    assert client.get(url).status_code == 403
    client.force_login(two_programs.other_director)
    assert client.get(url).status_code == 404


def test_the_feed_has_one_event_per_rotation_run_and_parses(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.resident_user)
    client.post(reverse("calendar_rotate"))
    feed = CalendarFeed.objects.get(user=two_programs.resident_user, revoked_at__isnull=True)
    client.logout()
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    rows = version_rows(version=built.version)
    runs = rotation_runs({"T01": rows["T01"]}, built.schedule.academic_year.start)
    assert len(events) == len(runs)
    assert {str(e["summary"]).split(" (")[1].rstrip(")") for e in events} == {
        r.rotation for r in runs
    }


def test_a_revoked_feed_stops_working(client, built, two_programs):
    client.force_login(two_programs.resident_user)
    client.post(reverse("calendar_rotate"))
    old = CalendarFeed.objects.get(user=two_programs.resident_user)
    client.post(reverse("calendar_rotate"), {"action": "revoke"})
    assert client.get(reverse("calendar_feed", args=[old.token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["made-up"])).status_code == 404


def test_the_feed_leaves_out_a_program_where_the_account_lost_its_role(client, built, two_programs):
    from programs.models import Role

    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.resident_user)
    client.post(reverse("calendar_rotate"))
    feed = CalendarFeed.objects.get(user=two_programs.resident_user, revoked_at__isnull=True)
    Role.objects.filter(user=two_programs.resident_user).delete()
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert Calendar.from_ical(response.content).walk("VEVENT") == []
