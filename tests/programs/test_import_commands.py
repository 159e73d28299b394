"""The import_program and export_program management commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from programs.models import Program, Resident
from tests.programs.bundles import as_bytes, row_counts, small_bundle


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def bundle_file(tmp_path):
    path = tmp_path / "test-im.json"
    path.write_bytes(as_bytes(small_bundle()))
    return path


def test_import_program_creates_the_program_and_prints_the_summary(db, bundle_file):
    output = _run("import_program", str(bundle_file))

    assert Program.objects.filter(slug="test-im").exists()
    assert "Imported program 'test-im': 26 created, 0 updated, 0 removed." in output
    assert "Residents: 6 created, 0 updated, 0 unchanged, 0 removed" in output
    assert "+ R001 Ada Lovelace" in output


def test_importing_the_same_file_again_reports_no_changes(db, bundle_file):
    _run("import_program", str(bundle_file))

    output = _run("import_program", str(bundle_file))

    assert "0 created, 0 updated, 0 removed." in output
    assert "Residents: 0 created, 0 updated, 6 unchanged, 0 removed" in output


def test_a_dry_run_shows_the_changes_and_saves_nothing(db, bundle_file):
    output = _run("import_program", str(bundle_file), "--dry-run")

    assert "Would import program 'test-im': 26 created" in output
    assert "Dry run: nothing was saved." in output
    assert not Program.objects.exists()


def test_a_bad_bundle_fails_listing_every_problem_with_its_path(db, tmp_path):
    bundle = small_bundle()
    bundle["residents"][2]["pgy"] = 4
    bundle["rotations"][0]["staffing"][0]["min"] = 9
    path = tmp_path / "bad.json"
    path.write_bytes(as_bytes(bundle))
    before = row_counts()

    with pytest.raises(CommandError) as raised:
        _run("import_program", str(path))

    lines = str(raised.value).splitlines()
    assert lines[0] == f"{path}: 2 problems; nothing was imported."
    assert lines[1:] == [
        "$.rotations[0].staffing[0].min: min 9 is greater than max 4",
        "$.residents[2].pgy: expected a PGY level 1, 2 or 3, got 4",
    ]
    assert row_counts() == before


def test_malformed_json_fails_naming_the_line_and_column(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "residency-bundle/1"\n  "program": {}\n}')

    with pytest.raises(CommandError, match=r"\$: not valid JSON: .* line 3, column 3"):
        _run("import_program", str(path))


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nope\.json: No such file"):
        _run("import_program", str(tmp_path / "nope.json"))


def test_export_program_prints_the_bundle_as_indented_json(db, bundle_file):
    _run("import_program", str(bundle_file))

    output = _run("export_program", "test-im")

    assert output.endswith("}\n")
    assert output.startswith('{\n  "format": "residency-bundle/1",')
    assert json.loads(output) == small_bundle()


def test_export_program_writes_a_file_that_imports_back_to_the_same_bytes(
    db, bundle_file, tmp_path
):
    _run("import_program", str(bundle_file))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    Resident.objects.filter(external_id="R002").update(name="Grace Brewster Hopper")

    _run("export_program", "test-im", "--output", str(first))
    output = _run("import_program", str(first))
    _run("export_program", "test-im", "-o", str(second))

    assert "0 created, 0 updated, 0 removed." in output
    assert first.read_bytes() == second.read_bytes()
    assert "Grace Brewster Hopper" in first.read_text(encoding="utf-8")


def test_export_program_keeps_accents_readable(db, tmp_path):
    bundle = small_bundle()
    bundle["residents"][0]["name"] = "Zoë Ngā"
    path = tmp_path / "accents.json"
    path.write_bytes(json.dumps(bundle, ensure_ascii=False).encode())
    _run("import_program", str(path))

    assert '"name": "Zoë Ngā"' in _run("export_program", "test-im")


def test_export_program_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="no program with slug 'nope'"):
        _run("export_program", "nope")
