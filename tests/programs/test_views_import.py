"""Bundle and roster imports in the web UI: upload, preview, confirm, download; who may."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from history.models import Event
from programs.bundle import bundle_export, bundle_import
from programs.models import Program, Resident, Rotation
from scheduling.models import Assignment, Schedule, ScheduleVersion
from tests.factories import TrackFactory
from tests.programs.bundles import as_bytes, row_counts, small_bundle


def _upload(content: bytes, name: str = "bundle.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def _url(name: str, *args: str) -> str:
    return reverse(f"programs:{name}", args=["alpha", *args])


def _alpha_bundle() -> dict:
    """The small bundle for the `two_programs` cast's program, keeping its resident."""
    return small_bundle(slug="alpha")


@pytest.fixture
def director(client, two_programs):
    client.force_login(two_programs.director)
    return client


def test_a_director_sees_the_upload_form(director):
    response = director.get(_url("bundle_upload"))

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert response.context["program"].slug == "alpha" and response.context["access"].can_manage


def test_a_director_uploads_previews_and_confirms_a_bundle(director, two_programs):
    response = director.post(_url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))})

    assert response.status_code == 302
    confirm_url = response.url
    preview = director.get(confirm_url)
    assert preview.status_code == 200
    assert not Rotation.objects.filter(program=two_programs.program).exists()
    page = preview.content.decode()
    assert "Review the bundle import" in page
    assert "R001 Ada Lovelace" in page and "WARDS (General Medicine Wards)" in page
    rows = dict(preview.context["rows"])
    assert len(rows["Residents"].created) == 6 and rows["Tracks"].unchanged == 1  # CAT was there

    done = director.post(confirm_url)

    assert done.status_code == 302 and done.url == _url("overview")
    assert Rotation.objects.filter(program=two_programs.program).count() == 6
    assert Resident.objects.filter(program=two_programs.program).count() == 7  # kept its own
    assert director.post(confirm_url).url == _url("bundle_upload")  # the token is used up
    # The import is in the program's history, with who did it and what it changed; the
    # preview (a dry run) left none.
    (event,) = Event.objects.filter(program=two_programs.program, kind=Event.Kind.IMPORT)
    assert event.actor == two_programs.director
    assert event.after["residents"]["created"] == 6 and event.after["rotations"]["created"] == 6


def test_a_bundle_that_changes_nothing_says_so(director, two_programs):
    director.post(_url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))})
    confirm_url = director.post(
        _url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))}
    ).url
    director.post(confirm_url)
    again = director.post(_url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))})

    preview = director.get(again.url)

    assert "importing it changes nothing" in preview.content.decode()


def test_a_bad_bundle_re_renders_the_form_with_every_problem(director, two_programs):
    bundle = _alpha_bundle()
    bundle["residents"][2]["pgy"] = 9
    bundle["template"]["cohorts"] = 3
    before = row_counts()

    response = director.post(_url("bundle_upload"), {"file": _upload(as_bytes(bundle))})

    assert response.status_code == 200
    assert [p.path for p in response.context["problems"]] == [
        "$.template.cohorts",
        "$.residents[2].pgy",
    ]
    page = response.content.decode()
    assert "The file has 2 problems" in page and "$.residents[2].pgy" in page
    assert row_counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": ', "not valid JSON: Expecting value at line 1, column 12"),
        (b"\xc3\x28 not utf-8", "the file is not UTF-8 text"),
        (b"", "The submitted file is empty."),
        (b" " * (5 * 1024 * 1024 + 1), "the limit is 5.0\xa0MB"),
    ],
    ids=["malformed", "not-utf8", "empty", "too-big"],
)
def test_unreadable_files_are_clear_errors_never_a_crash(director, content, message):
    response = director.post(_url("bundle_upload"), {"file": _upload(content)})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_post_without_a_file_asks_for_one(director):
    response = director.post(_url("bundle_upload"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This field is required."]


def test_a_bundle_for_another_program_is_refused(director, two_programs):
    bundle = small_bundle(slug="beta")
    exported = bundle_export(program=two_programs.other_program)

    response = director.post(_url("bundle_upload"), {"file": _upload(as_bytes(bundle))})

    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert problem.path == "$.program.slug"
    assert "this bundle is for program 'beta', not 'alpha'" in problem.message
    assert bundle_export(program=two_programs.other_program) == exported
    assert not Program.objects.filter(slug="test-im").exists()


def test_an_unknown_or_expired_token_sends_the_director_back_to_upload(director):
    response = director.get(_url("bundle_confirm", "not-a-token"))

    assert response.status_code == 302 and response.url == _url("bundle_upload")


def test_a_token_cannot_be_confirmed_on_another_programs_page(client, two_programs):
    two_programs.other_program.roles.create(user=two_programs.director, kind="director")
    client.force_login(two_programs.director)
    confirm_url = client.post(
        _url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))}
    ).url
    token = confirm_url.rstrip("/").rsplit("/", 1)[-1]

    response = client.post(reverse("programs:bundle_confirm", args=["beta", token]))

    assert response.status_code == 302
    assert not Rotation.objects.exists()


def test_the_director_downloads_the_bundle_as_an_attachment(director, two_programs):
    response = director.get(_url("bundle_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="alpha-bundle.json"'
    assert json.loads(response.content) == bundle_export(program=two_programs.program)


def test_a_director_uploads_and_confirms_a_roster(director, two_programs):
    csv = b"id,name,email,pgy,track\nR900,Ada Lovelace,ada@example.org,1,CAT\n"

    preview = director.post(_url("roster_upload"), {"file": _upload(csv, "roster.csv")})

    assert preview.status_code == 200
    assert "R900 Ada Lovelace" in preview.content.decode()
    assert not Resident.objects.filter(external_id="R900").exists()
    token = preview.context["token"]

    done = director.post(_url("roster_upload"), {"token": token})

    assert done.status_code == 302 and done.url == _url("roster")
    assert Resident.objects.get(program=two_programs.program, external_id="R900").pgy == 1


def test_a_bad_roster_re_renders_with_row_and_column_errors(director):
    csv = b"id,name,email,pgy,track\nR900,Ada,ada@example.org,x,CAT\nR901,Bo,bo@example.org,1,ONC\n"

    response = director.post(_url("roster_upload"), {"file": _upload(csv, "roster.csv")})

    assert response.status_code == 200
    page = response.content.decode()
    assert "row 2, column pgy: expected 1, 2 or 3, got &#x27;x&#x27;" in page
    assert "row 3, column track: unknown track &#x27;ONC&#x27;" in page
    assert not Resident.objects.filter(external_id__in=["R900", "R901"]).exists()


def test_a_stale_roster_token_is_refused(director):
    response = director.post(_url("roster_upload"), {"token": "made-up"})

    assert response.status_code == 302 and response.url == _url("roster_upload")


PAGES = [
    ("get", "bundle_upload", ()),
    ("post", "bundle_upload", ()),
    ("get", "bundle_confirm", ("sometoken",)),
    ("post", "bundle_confirm", ("sometoken",)),
    ("get", "bundle_download", ()),
    ("get", "roster_upload", ()),
    ("post", "roster_upload", ()),
]


@pytest.mark.parametrize(("method", "name", "args"), PAGES)
def test_another_programs_director_gets_a_404(client, two_programs, method, name, args):
    client.force_login(two_programs.other_director)

    response = getattr(client, method)(_url(name, *args))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "args"), PAGES)
@pytest.mark.parametrize("who", ["resident_user", "chief", "faculty_user"])
def test_members_who_do_not_run_the_program_get_a_403(
    client, two_programs, who, method, name, args
):
    client.force_login(getattr(two_programs, who))

    response = getattr(client, method)(_url(name, *args))

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "args"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, two_programs, method, name, args):
    response = getattr(client, method)(_url(name, *args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_resident_cannot_import_even_a_valid_bundle(client, two_programs):
    client.force_login(two_programs.resident_user)
    before = row_counts()

    response = client.post(_url("bundle_upload"), {"file": _upload(as_bytes(_alpha_bundle()))})

    assert response.status_code == 403
    assert row_counts() == before


def test_confirming_checks_the_bundle_again_against_the_program_as_it_is_now(
    director, two_programs
):
    bundle_import(data=_alpha_bundle())
    program = two_programs.program
    without_nf = _alpha_bundle()
    without_nf["rotations"] = [r for r in without_nf["rotations"] if r["code"] != "NF"]
    without_nf["residents"][2]["requests"] = []
    confirm_url = director.post(_url("bundle_upload"), {"file": _upload(as_bytes(without_nf))}).url
    assert director.get(confirm_url).status_code == 200
    version = ScheduleVersion.objects.create(
        schedule=Schedule.objects.create(
            program=program, academic_year=program.academic_years.get()
        ),
        number=1,
    )
    Assignment.objects.create(
        version=version,
        resident=two_programs.resident,
        week=0,
        rotation=Rotation.objects.get(program=program, code="NF"),
    )

    response = director.post(confirm_url)

    assert response.status_code == 200
    assert [p.path for p in response.context["problems"]] == ["$.rotations"]
    assert Rotation.objects.filter(program=program, code="NF").exists()


def test_confirming_a_roster_checks_it_again(director, two_programs):
    TrackFactory(program=two_programs.program, code="PC")
    csv = b"id,name,email,pgy,track\nR900,Ada Lovelace,ada@example.org,1,PC\n"
    token = director.post(_url("roster_upload"), {"file": _upload(csv, "r.csv")}).context["token"]
    two_programs.program.tracks.filter(code="PC").delete()

    response = director.post(_url("roster_upload"), {"token": token})

    assert response.status_code == 200
    assert response.context["errors"] == [
        "row 2, column track: unknown track 'PC' (this program has CAT)"
    ]
    assert not Resident.objects.filter(external_id="R900").exists()
