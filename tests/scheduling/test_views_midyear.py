"""The version page, publishing with a director's override, submitting for approval, undo,
a cell's history, history downloads and the who-is-on-service page (issue 11)."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse

from history.models import Event
from history.services import history_record
from programs.models import Program, Rotation
from scheduling.models import ScheduleVersion
from scheduling.services.versions import assignment_set, version_copy, version_publish
from tests.scheduling.conftest import make_built
from tests.support.mail import record_queued_emails

YEAR = "2027-2028"
IN_WEEK_4 = datetime.datetime(2027, 7, 21, 15, 0, tzinfo=datetime.UTC)


def _url(name, *args):
    return reverse(f"scheduling:{name}", args=["alpha", YEAR, *args])


def _break_a_rule(built, version):
    """Put a resident in clinic in one of their X weeks (the phase rule); returns the cell."""
    row = version.resident_rows.get(resident=built.residents[0])
    clinic = Rotation.objects.get(program=built.program, code="CLINIC")
    from scheduling.xy import is_y_week

    program = built.program
    week = next(
        w
        for w in range(10)
        if not is_y_week(w, row.cohort, x_weeks=program.x_weeks, y_weeks=program.y_weeks, cohorts=5)
    )
    assignment_set(version=version, resident=built.residents[0], week=week, rotation=clinic)
    return week


@pytest.fixture
def draft_breaking_a_rule(built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    draft = version_copy(version=built.version, by=two_programs.director)
    _break_a_rule(built, draft)
    return draft


def test_the_version_page_shows_the_diff_before_publishing(client, built, draft_breaking_a_rule):
    client.force_login(built.program.roles.get(kind="director").user)
    response = client.get(_url("version", draft_breaking_a_rule.number))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.against == built.version
    assert summary.cells == 1 and len(summary.residents) == 1
    assert summary.violations_before == 0 and summary.violations_after >= 1
    body = response.content.decode()
    assert 'id="diff-cells">1<' in body
    assert "Reason for publishing despite the broken rules" in body
    # Which rules break, in words, the resident by name (no one else shares it).
    resident = built.residents[0]
    listed = body.split('id="version-violations"')[1].split("</ul>")[0]
    assert f"for {resident.name}.</li>" in listed
    assert resident.external_id not in listed


def test_a_version_breaking_a_hard_rule_needs_a_directors_reason(
    client, two_programs, draft_breaking_a_rule
):
    client.force_login(two_programs.director)
    url = _url("publish", draft_breaking_a_rule.number)
    response = client.post(url, {"override_reason": ""})
    assert response.status_code == 400
    assert "written reason" in response.content.decode()
    draft_breaking_a_rule.refresh_from_db()
    assert draft_breaking_a_rule.status == ScheduleVersion.Status.DRAFT

    response = client.post(url, {"override_reason": "Clinic swap agreed with the clinic lead"})
    assert response.status_code == 302
    draft_breaking_a_rule.refresh_from_db()
    assert draft_breaking_a_rule.status == ScheduleVersion.Status.PUBLISHED
    assert draft_breaking_a_rule.override_reason == "Clinic swap agreed with the clinic lead"
    assert draft_breaking_a_rule.override_by == two_programs.director
    assert draft_breaking_a_rule.violations_at_publish >= 1
    page = client.get(_url("version", draft_breaking_a_rule.number)).content.decode()
    assert "Clinic swap agreed with the clinic lead" in page and 'id="override-note"' in page
    event = Event.objects.get(version=draft_breaking_a_rule, kind=Event.Kind.PUBLISH)
    assert event.reason == "Clinic swap agreed with the clinic lead"
    assert event.actor == two_programs.director


def test_chief_residents_cannot_publish_by_default(client, two_programs, draft_breaking_a_rule):
    client.force_login(two_programs.chief)
    url = _url("publish", draft_breaking_a_rule.number)
    assert client.post(url, {"override_reason": "I am sure"}).status_code == 403
    page = client.get(_url("version", draft_breaking_a_rule.number)).content.decode()
    assert 'id="submit-form"' in page and 'id="publish-form"' not in page


def test_chief_residents_cannot_publish_even_a_clean_draft(client, built, two_programs):
    client.force_login(two_programs.chief)
    assert client.post(_url("publish", built.version.number)).status_code == 403
    built.version.refresh_from_db()
    assert built.version.status == ScheduleVersion.Status.DRAFT


def test_a_chief_allowed_to_publish_still_cannot_override_the_rules(
    client, built, two_programs, draft_breaking_a_rule
):
    Program.objects.filter(pk=built.program.pk).update(
        publish_roles=["director", "associate_director", "chief_resident"]
    )
    client.force_login(two_programs.chief)
    url = _url("publish", draft_breaking_a_rule.number)
    assert client.post(url, {"override_reason": "I am sure"}).status_code == 403
    draft_breaking_a_rule.refresh_from_db()
    assert draft_breaking_a_rule.status == ScheduleVersion.Status.DRAFT
    # A draft that breaks nothing, the chief may publish.
    clean = version_copy(version=built.version, by=two_programs.chief)
    assert client.post(_url("publish", clean.number)).status_code == 302


def test_a_chief_submits_for_approval_and_the_directors_are_emailed(
    client,
    built,
    two_programs,
    draft_breaking_a_rule,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    queued = record_queued_emails(monkeypatch)
    client.force_login(two_programs.chief)
    url = _url("submit", draft_breaking_a_rule.number)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"note": "Covers Lee's leave"}).status_code == 302
    assert [m["to"] for m in queued] == [[two_programs.director.email]]
    assert "awaits your approval" in queued[0]["subject"]
    draft_breaking_a_rule.refresh_from_db()
    assert draft_breaking_a_rule.submitted_by == two_programs.chief
    event = Event.objects.get(version=draft_breaking_a_rule, kind=Event.Kind.PUBLISH_REQUESTED)
    assert event.reason == "Covers Lee's leave"
    client.force_login(two_programs.director)
    page = client.get(_url("version", draft_breaking_a_rule.number)).content.decode()
    assert "Covers Lee&#x27;s leave" in page and 'id="submitted-note"' in page


def test_edits_are_undone_one_by_one(client, built, two_programs):
    client.force_login(two_programs.director)
    version = built.version
    resident = built.residents[2]
    before = {w: version.assignments.filter(resident=resident, week=w).first() for w in (8, 9)}
    for week in (8, 9):
        current = before[week].rotation.code if before[week] else None
        new = "VAC" if current != "VAC" else "WARDS"
        response = client.post(
            _url("cell_edit", version.number),
            {"resident": resident.pk, "week": week, "rotation": new},
        )
        assert response.status_code == 200
    client.post(
        _url("cell_pin", version.number), {"resident": resident.pk, "week": 9, "pinned": "on"}
    )
    edits = list(Event.objects.filter(version=version).exclude(kind="build").order_by("id"))
    assert [e.kind for e in edits] == ["cell_edit", "cell_edit", "pin"]

    undo = _url("undo", version.number)
    client.post(undo)
    assert not version.assignments.get(resident=resident, week=9).pinned
    client.post(undo)
    client.post(undo)
    for week in (8, 9):
        now = version.assignments.filter(resident=resident, week=week).first()
        assert (now.rotation_id if now else None) == (
            before[week].rotation_id if before[week] else None
        )
    undos = Event.objects.filter(version=version, kind=Event.Kind.UNDO).order_by("id")
    assert [u.reverts_id for u in undos] == [edits[2].pk, edits[1].pk, edits[0].pk]
    response = client.post(undo, follow=True)
    assert "no edit of this draft left to undo" in response.content.decode()


def test_an_edit_cannot_be_undone_over_a_later_change_of_its_cell(built, two_programs):
    from django.core.exceptions import ValidationError

    from scheduling.services.versions import version_undo_last

    version, resident = built.version, built.residents[2]
    vac = Rotation.objects.get(program=built.program, code="VAC")
    wards = Rotation.objects.get(program=built.program, code="WARDS")
    assignment_set(version=version, resident=resident, week=9, rotation=vac, by=two_programs.chief)
    # Someone changes the cell outside the services' history (a raw fix): undo refuses.
    version.assignments.filter(resident=resident, week=9).update(rotation=wards)
    with pytest.raises(ValidationError, match="changed this cell"):
        version_undo_last(version=version, by=two_programs.director)


def test_the_grid_shows_a_cells_history_in_a_few_queries(
    client, built, two_programs, django_assert_max_num_queries
):
    client.force_login(two_programs.director)
    resident = built.residents[0]
    for code in ("VAC", "WARDS", "VAC"):
        client.post(
            _url("cell_edit", built.version.number),
            {"resident": resident.pk, "week": 9, "rotation": code},
        )
    grid = client.get(_url("grid") + f"?v={built.version.number}").content.decode()
    assert 'id="cell-history"' in grid and "js/cell_history.js" in grid
    url = _url("cell_history", built.version.number)
    with django_assert_max_num_queries(12):
        response = client.get(url, {"resident": resident.pk, "week": 9})
    assert response.status_code == 200
    assert len(response.context["events"]) >= 2
    assert client.get(url, {"resident": "x"}).status_code == 400


def test_the_version_page_runs_a_fixed_number_of_queries(
    client, two_programs, django_assert_max_num_queries
):
    built = make_built(two_programs)
    client.force_login(two_programs.director)
    for week in range(5, 10):
        client.post(
            _url("cell_edit", built.version.number),
            {"resident": built.residents[0].pk, "week": week, "rotation": "VAC"},
        )
    url = _url("version", built.version.number)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    pinned = len(few.captured_queries)  # now: the connection's query log is a bounded deque
    for week in range(5, 10):
        for resident in built.residents[1:]:
            client.post(
                _url("cell_edit", built.version.number),
                {"resident": resident.pk, "week": week, "rotation": "WARDS"},
            )
    with django_assert_max_num_queries(pinned):
        assert client.get(url).status_code == 200


def test_history_downloads_as_csv_and_json_with_safe_cells(client, built, two_programs):
    history_record(
        program=built.program,
        kind=Event.Kind.CELL_EDIT,
        subject='=HYPERLINK("http://evil")',
        by=two_programs.director,
        version=built.version,
        reason="@SUM(1)",
    )
    client.force_login(two_programs.director)
    response = client.get(_url("events_export", built.version.number, "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["subject"].startswith("'=") and rows[0]["reason"] == "'@SUM(1)"
    data = json.loads(client.get(_url("events_export", built.version.number, "json")).content)
    assert data["events"][0]["subject"] == '=HYPERLINK("http://evil")'
    assert data["events"][0]["actor"] == two_programs.director.email
    assert client.get(_url("events_export", built.version.number, "xml")).status_code == 404


def test_the_build_form_says_it_builds_only_the_remaining_weeks(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.chief)
    with time_machine.travel(IN_WEEK_4, tick=False):
        client.force_login(two_programs.chief)
        page = client.get(_url("grid")).content.decode()
    assert "Build weeks 4-10 from scratch (weeks 1-3 are history and kept as published)" in page


# --- Who is on service --------------------------------------------------------------------


def _on_service(client, **params):
    return client.get(reverse("scheduling:on_service", args=["alpha"]), params)


def test_every_member_sees_who_is_on_service_this_week_and_next(client, built, two_programs):
    version_publish(version=built.version, by=two_programs.director)
    for user in (two_programs.faculty_user, two_programs.resident_user, two_programs.chief):
        with time_machine.travel(IN_WEEK_4, tick=False):
            client.force_login(user)
            response = _on_service(client)
        assert response.status_code == 200
        weeks = response.context["weeks"]
        assert [w.index for w in weeks] == [3, 4]
    rows = {
        (a.week, a.resident.name)
        for a in built.version.assignments.select_related("resident", "rotation")
        if a.week == 3 and not a.rotation.is_vacation
    }
    listed = {(3, p["name"]) for s in weeks[0].services for p in s["residents"]}
    assert listed == rows
    body = response.content.decode()
    assert "PGY-" in body and "css/print.css" in body and 'media="print"' in body


def test_vacation_and_leave_are_listed_apart(client, built, two_programs):
    version = built.version
    resident = built.residents[3]
    version.assignments.filter(resident=resident, week=2).delete()  # on leave that week
    vac = Rotation.objects.get(program=built.program, code="VAC")
    version.assignments.filter(resident=built.residents[4], week=2).update(rotation=vac)
    version_publish(version=version, by=two_programs.director, override_reason="Test data")
    client.force_login(two_programs.faculty_user)
    response = _on_service(client, week="2027-07-14")  # a Wednesday of week 3
    week = response.context["weeks"][0]
    assert week.index == 2
    assert [p["name"] for p in week.leave] == [resident.name]
    assert built.residents[4].name in [p["name"] for p in week.vacation]
    # No leave category here: that is for directors only.
    assert "Medical leave" not in response.content.decode()


def test_only_the_published_schedule_is_shown(client, built, two_programs):
    client.force_login(two_programs.faculty_user)
    response = _on_service(client, week="2027-07-14")
    assert response.context["weeks"] == []
    assert "not published yet" in response.content.decode()
    # Outside every academic year, and a week that is no date: said, not a 500.
    assert "No academic year" in _on_service(client, week="2031-01-01").content.decode()
    assert _on_service(client, week="not-a-date").status_code == 200


def test_the_service_list_runs_a_fixed_number_of_queries(
    client, two_programs, django_assert_max_num_queries
):
    built = make_built(two_programs, residents=5)
    version_publish(version=built.version, by=two_programs.director)
    client.force_login(two_programs.faculty_user)
    with django_assert_max_num_queries(15) as few:
        _on_service(client, week="2027-07-14")
    pinned = len(few.captured_queries)
    built.version.schedule.published_version = None
    built.version.schedule.save(update_fields=["published_version"])
    ScheduleVersion.objects.filter(pk=built.version.pk).delete()
    bigger = make_built(two_programs, residents=40)
    version_publish(version=bigger.version, by=two_programs.director)
    with django_assert_max_num_queries(pinned):
        response = _on_service(client, week="2027-07-14")
    assert sum(len(s["residents"]) for s in response.context["weeks"][0].services) > 5


# --- Who may publish ---------------------------------------------------------------------


def test_directors_choose_who_may_publish_and_it_is_recorded(client, built, two_programs):
    client.force_login(two_programs.director)
    url = reverse("scheduling:publish_settings", args=["alpha"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"roles": ["director", "chief_resident"]})
    assert response.status_code == 302
    built.program.refresh_from_db()
    assert built.program.publish_roles == ["director", "chief_resident"]
    event = Event.objects.get(program=built.program, kind=Event.Kind.SETUP_CHANGED)
    assert event.before == {"publish_roles": ["director", "associate_director"]}
    assert event.actor == two_programs.director
    # The chief now publishes a clean draft.
    client.force_login(two_programs.chief)
    assert client.post(_url("publish", built.version.number)).status_code == 302


def test_the_program_director_cannot_be_left_out(client, built, two_programs):
    client.force_login(two_programs.director)
    url = reverse("scheduling:publish_settings", args=["alpha"])
    response = client.post(url, {"roles": ["chief_resident"]})
    assert response.status_code == 400
    assert "always may publish" in response.content.decode()
    assert client.post(url, {"roles": ["resident"]}).status_code == 400
    built.program.refresh_from_db()
    assert built.program.publish_roles == ["director", "associate_director"]


def test_a_submitted_draft_shows_on_the_schedules_page(client, built, two_programs):
    from scheduling.services.versions import version_submit

    version_submit(version=built.version, by=two_programs.chief, note="")
    client.force_login(two_programs.director)
    page = client.get(reverse("scheduling:index", args=["alpha"])).content.decode()
    assert "awaits approval" in page
