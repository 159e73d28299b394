"""roster_import_csv: residents from a CSV file, all or nothing, with row/column errors."""

import io

import pytest

from programs.models import Resident
from programs.services.imports import RosterInvalid, roster_import_csv
from tests.factories import ProgramFactory, ResidentFactory, TrackFactory

HEADER = "id,name,email,pgy,track,cohort\n"


@pytest.fixture
def program(db):
    program = ProgramFactory(slug="alpha", cohorts=5)
    TrackFactory(program=program, code="CAT")
    TrackFactory(program=program, code="PC")
    return program


def _errors(program, text: str) -> list[str]:
    with pytest.raises(RosterInvalid) as raised:
        roster_import_csv(program=program, file=text.encode())
    return raised.value.errors


def test_it_creates_residents_from_the_file(program):
    text = (
        HEADER
        + "R1,Ada Lovelace,ada@example.org,1,CAT,0\nR2,Grace Hopper,grace@example.org,2,pc,\n"
    )

    result = roster_import_csv(program=program, file=io.BytesIO(text.encode()))

    assert result.created == ["R1 Ada Lovelace", "R2 Grace Hopper"]
    ada, grace = Resident.objects.filter(program=program).order_by("external_id")
    assert (ada.pgy, ada.track.code, ada.cohort, ada.status) == (1, "CAT", 0, "active")
    assert (grace.track.code, grace.cohort) == ("PC", None)
    assert grace.position == ada.position + 1


def test_it_updates_residents_with_the_same_id_and_counts_the_unchanged(program):
    track = program.tracks.get(code="CAT")
    ResidentFactory(program=program, external_id="R1", name="Ada", email="ada@example.org",
                    pgy=1, track=track)  # fmt: skip
    ResidentFactory(program=program, external_id="R2", name="Grace", email="grace@example.org",
                    pgy=2, track=track)  # fmt: skip
    text = (
        "id,name,email,pgy,track\nR1,Ada,ada@example.org,2,PC\nR2,Grace,grace@example.org,2,CAT\n"
    )

    result = roster_import_csv(program=program, file=text)

    assert result.updated == ["R1 Ada (pgy, track)"]
    assert result.created == [] and result.unchanged == 1
    assert Resident.objects.get(external_id="R1").pgy == 2


def test_without_a_cohort_column_existing_cohorts_are_kept(program):
    ResidentFactory(program=program, external_id="R1", email="ada@example.org", cohort=3,
                    track=program.tracks.get(code="CAT"))  # fmt: skip

    roster_import_csv(program=program, file="id,name,email,pgy,track\nR1,Ada,ada@example.org,1,CAT")

    assert Resident.objects.get(external_id="R1").cohort == 3


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(program):
    text = (
        "Name,ID,Email,PGY,Track\n"
        "Ada Lovelace,R1,ada@example.org,1,CAT\n"
        "Grace Hopper,R2,grace@example,2,CAT\n"
        ",R3,alan@example.org,x,CAT\n"
        "Kat Johnson,R4,kat@example.org,2,ONC\n"
        "Ada Again,R1,ADA@example.org,3,PC\n"
    )

    errors = _errors(program, text)

    assert errors == [
        "row 3, column email: expected an e-mail address, got 'grace@example'",
        "row 4, column name: must not be empty",
        "row 4, column pgy: expected 1, 2 or 3, got 'x'",
        "row 5, column track: unknown track 'ONC' (this program has CAT, PC)",
        "row 6, column id: R1 already appears in row 2",
        "row 6, column email: ADA@example.org already appears in row 2",
    ]
    assert not Resident.objects.exists()


def test_a_cohort_beyond_the_template_is_an_error(program):
    errors = _errors(program, HEADER + "R1,Ada,ada@example.org,1,CAT,5\n")

    assert errors == ["row 2, column cohort: expected a cohort from 0 to 4, or blank, got '5'"]


def test_an_email_of_another_resident_is_an_error(program):
    ResidentFactory(program=program, external_id="R9", name="Nine", email="nine@example.org",
                    track=program.tracks.get(code="CAT"))  # fmt: skip

    errors = _errors(program, HEADER + "R1,Ada,nine@example.org,1,CAT,\n")

    assert errors == ["row 2, column email: nine@example.org belongs to resident R9 (Nine)"]


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (b"", ["the file is empty"]),
        (
            b"\xff\xfeid,name",
            ["the file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”"],
        ),
        (b"id,name,email,pgy,track\n", ["the file has a header but no residents"]),
        (
            b"id,name,mail,pgy,track\nR1,Ada,ada@example.org,1,CAT\n",
            [
                "row 1: unknown column 'mail'",
                "row 1: missing column 'email'",
                "the first row must name the columns: id, name, email, pgy, track, cohort",
            ],
        ),
        (
            b"id,name,email,pgy,track\nR1,Ada,ada@example.org,1\n",
            ["row 2: 4 values, but the header has 5 columns"],
        ),
    ],
    ids=["empty", "not-utf8", "header-only", "bad-header", "short-row"],
)
def test_unreadable_files_are_clear_errors(program, content, errors):
    with pytest.raises(RosterInvalid) as raised:
        roster_import_csv(program=program, file=content)

    assert raised.value.errors == errors


def test_a_spreadsheet_byte_order_mark_and_blank_lines_are_fine(program):
    text = "\ufeff" + HEADER + "\nR1,Ada,ada@example.org,1,CAT,\n,,,,,\n"

    result = roster_import_csv(program=program, file=text.encode())

    assert result.created == ["R1 Ada"]


def test_a_dry_run_saves_nothing(program):
    result = roster_import_csv(
        program=program, file=HEADER + "R1,Ada,ada@example.org,1,CAT,\n", dry_run=True
    )

    assert result.created == ["R1 Ada"] and result.dry_run
    assert not Resident.objects.exists()


def test_it_only_touches_its_own_program(program):
    other = ProgramFactory(slug="beta")
    other_track = TrackFactory(program=other, code="CAT")
    stranger = ResidentFactory(program=other, external_id="R1", name="Beta One", track=other_track)

    result = roster_import_csv(program=program, file=HEADER + "R1,Ada,ada@example.org,1,CAT,\n")

    assert result.created == ["R1 Ada"]
    stranger.refresh_from_db()
    assert stranger.name == "Beta One"


def test_control_characters_in_a_cell_are_an_error(program):
    errors = _errors(program, HEADER + "R1,Ada\x00Lovelace,ada@example.org,1,CAT,\n")

    assert errors == ["row 2, column name: must not contain control characters"]
