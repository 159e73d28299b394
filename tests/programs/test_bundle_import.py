"""bundle_import creates or updates a program in place; bundle_export gives it back."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.bundle import BundleInvalid, bundle_export, bundle_import, bundle_json
from programs.models import Program, Requirement, Resident, ResidentRequest, Rotation, Track
from scheduling.models import Assignment, Schedule, ScheduleVersion
from tests.factories import ResidentFactory, TrackFactory
from tests.programs.bundles import row_counts, small_bundle


def _writes(queries) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(verbs)]


@pytest.fixture
def imported(db) -> Program:
    bundle_import(data=small_bundle())
    return Program.objects.get(slug="test-im")


def test_it_creates_the_program_and_everything_in_the_bundle(db):
    summary = bundle_import(data=small_bundle())

    program = Program.objects.get(slug="test-im")
    assert (program.name, program.timezone, program.template_label) == (
        "Test Internal Medicine",
        "America/Chicago",
        "3+2",
    )
    assert summary["program"].created == ["test-im (Test Internal Medicine)"]
    assert {kind: changes.counts()["created"] for kind, changes in summary.kinds.items()} == {
        "program": 1,
        "academic_years": 1,
        "tracks": 2,
        "rotations": 6,
        "requirements": 3,
        "residents": 6,
        "requests": 5,
        "faculty": 2,
    }
    assert summary.updated == summary.removed == 0
    assert list(program.rotations.values_list("code", flat=True)) == [
        "WARDS", "ICU", "NF", "CLINIC", "GERI", "VAC",
    ]  # fmt: skip


def test_it_derives_intensity_experiences_and_colours_of_rotations(imported):
    rotations = {r.code: r for r in Rotation.objects.filter(program=imported)}

    assert {code for code, r in rotations.items() if r.intense} == {"ICU", "NF"}
    assert rotations["GERI"].experiences == ["geriatrics"]
    assert rotations["WARDS"].experiences == []
    assert rotations["VAC"].color == "#adb5bd"
    assert rotations["ICU"].color != rotations["NF"].color != rotations["WARDS"].color
    assert len({r.color for r in rotations.values()}) == 6


def test_a_requirement_for_every_track_is_stored_as_all_tracks(imported):
    first, second, third = Requirement.objects.filter(program=imported).order_by("position")

    assert first.all_tracks and not first.tracks.exists()
    assert not second.all_tracks
    assert sorted(second.tracks.values_list("code", flat=True)) == ["CAT", "PC"]
    assert list(third.rotations.values_list("code", flat=True)) == ["GERI"]


def test_requests_are_approved_and_keep_their_order(imported):
    grace = Resident.objects.get(program=imported, external_id="R002")

    requests = list(grace.requests.order_by("position"))

    assert [(r.kind, r.status, r.weeks) for r in requests] == [
        ("leave", "approved", ["2027-10-04", "2027-10-11"]),
        ("vacation", "approved", ["2027-12-20", "2027-12-27"]),
    ]


def test_re_importing_the_same_bundle_changes_nothing(imported):
    before = row_counts()

    with CaptureQueriesContext(connection) as queries:
        summary = bundle_import(data=small_bundle())

    assert (summary.created, summary.updated, summary.removed) == (0, 0, 0)
    assert not summary.changed
    assert summary["residents"].unchanged == 6 and summary["requests"].unchanged == 5
    assert _writes(queries.captured_queries) == []
    assert row_counts() == before


def test_an_update_changes_only_what_changed_and_names_it(imported):
    bundle = small_bundle()
    bundle["residents"][0]["name"] = "Ada King"
    bundle["residents"][3]["track"] = "CAT"
    bundle["tracks"][1]["ambulatory_share"] = [0.5, 0.65]
    bundle["rotations"][1]["staffing"][0]["max"] = 3
    bundle["rotations"] = [r for r in bundle["rotations"] if r["code"] != "GERI"]
    bundle["requirements"] = bundle["requirements"][:2]
    bundle["residents"][1]["requests"].pop(0)
    bundle["residents"].append(
        {
            "id": "R007",
            "name": "Frances Allen",
            "email": "fran@example.org",
            "pgy": 1,
            "track": "PC",
            "requests": [],
        }
    )
    ada = Resident.objects.get(program=imported, external_id="R001")

    summary = bundle_import(data=bundle)

    assert summary["residents"].created == ["R007 Frances Allen"]
    assert summary["residents"].updated == [
        "R001 Ada King (name)",
        "R004 Katherine Johnson (track)",
    ]
    assert summary["tracks"].updated == ["PC (Primary Care) (ambulatory_max)"]
    assert summary["rotations"].updated == [
        "ICU (Medical ICU) (staffing)",
        "VAC (Vacation) (order)",
    ]
    assert summary["rotations"].removed == ["GERI (Geriatrics)"]
    assert summary["requirements"].removed == ["PGY-2/3, PC: GERI ≥ 2 weeks"]
    assert summary["requests"].updated == [
        "R002 Grace Hopper: vacation 2027-12-20, 2027-12-27 (order)"
    ]
    assert summary["requests"].removed == ["R002 Grace Hopper: leave 2027-10-04, 2027-10-11"]
    assert summary["faculty"].counts() == {"created": 0, "updated": 0, "unchanged": 2, "removed": 0}
    assert Resident.objects.get(pk=ada.pk).name == "Ada King"
    assert not Rotation.objects.filter(program=imported, code="GERI").exists()
    assert bundle_export(program=imported) == bundle


def test_residents_and_tracks_the_bundle_leaves_out_are_kept(imported):
    bundle = small_bundle()
    bundle["residents"] = bundle["residents"][:2]

    summary = bundle_import(data=bundle)

    assert summary["residents"].removed == []
    assert Resident.objects.filter(program=imported).count() == 6
    assert ResidentRequest.objects.filter(resident__program=imported).count() == 5


def test_pending_requests_made_in_the_app_are_left_alone(imported):
    alan = Resident.objects.get(program=imported, external_id="R003")
    pending = ResidentRequest.objects.create(
        resident=alan, kind="vacation", status="pending", weeks=["2028-01-03"], position=9
    )

    summary = bundle_import(data=small_bundle())

    assert not summary.changed
    assert ResidentRequest.objects.filter(pk=pending.pk).exists()
    assert len(bundle_export(program=imported)["residents"][2]["requests"]) == 1


def test_a_dry_run_reports_the_changes_and_saves_none(imported):
    bundle = small_bundle()
    bundle["residents"][0]["pgy"] = 2
    bundle["rotations"].pop()  # VAC, which two residents' vacations need
    for resident in bundle["residents"]:
        resident["requests"] = [r for r in resident.get("requests", []) if r["kind"] != "vacation"]
    before, exported = row_counts(), bundle_export(program=imported)

    summary = bundle_import(data=bundle, dry_run=True)

    assert summary.dry_run
    assert summary["residents"].updated == ["R001 Ada Lovelace (pgy)"]
    assert summary["rotations"].removed == ["VAC (Vacation)"]
    assert "Dry run: nothing was saved." in summary.lines()
    assert row_counts() == before
    assert bundle_export(program=imported) == exported


def test_export_then_import_then_export_gives_the_same_bytes(imported):
    first = bundle_json(program=imported)

    summary = bundle_import(data=json.loads(first))

    assert not summary.changed
    assert bundle_json(program=imported) == first


def test_a_program_made_in_the_app_round_trips_through_a_bundle(two_programs):
    TrackFactory(program=two_programs.program, code="PC", position=1)
    ResidentFactory(program=two_programs.program, track=two_programs.resident.track, cohort=3)
    first = bundle_json(program=two_programs.program)

    summary = bundle_import(data=json.loads(first))

    assert not summary.changed
    assert bundle_json(program=two_programs.program) == first


def test_the_export_orders_everything_deterministically(imported):
    exported = bundle_export(program=imported)

    assert exported == small_bundle()
    assert [r["id"] for r in exported["residents"]] == [f"R00{n}" for n in range(1, 7)]


@pytest.mark.parametrize("residents", [6, 120])
def test_import_and_export_run_a_fixed_number_of_queries(db, residents):
    bundle = small_bundle(residents=residents)
    with CaptureQueriesContext(connection) as created:
        bundle_import(data=bundle)
    with CaptureQueriesContext(connection) as again:
        bundle_import(data=bundle)
    program = Program.objects.get(slug="test-im")
    with CaptureQueriesContext(connection) as exported:
        bundle_export(program=program)

    # Bulk inserts may split into batches on SQLite, so allow a little headroom over 6.
    assert len(created) <= 36
    assert len(again) <= 16
    assert len(exported) == 10


def test_a_rotation_that_a_schedule_uses_cannot_be_dropped(imported):
    year = imported.academic_years.get()
    version = ScheduleVersion.objects.create(
        schedule=Schedule.objects.create(program=imported, academic_year=year), number=1
    )
    Assignment.objects.create(
        version=version,
        resident=Resident.objects.get(program=imported, external_id="R001"),
        week=0,
        rotation=Rotation.objects.get(program=imported, code="NF"),
    )
    bundle = small_bundle()
    bundle["rotations"] = [r for r in bundle["rotations"] if r["code"] != "NF"]
    bundle["residents"][2]["requests"] = []
    before = row_counts()

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    assert [str(p) for p in raised.value.problems] == [
        "$.rotations: rotation 'NF' (Night Float) is missing, but schedules use it: keep it in "
        "the bundle"
    ]
    assert row_counts() == before


def test_a_year_the_bundle_leaves_out_may_not_overlap_one_it_lists(imported):
    bundle = small_bundle()
    bundle["academic_years"] = [{"name": "AY2027", "start": "2027-07-05", "weeks": 52}]
    bundle["residents"][1]["requests"][0]["weeks"] = ["2027-10-11"]

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    assert [p.path for p in raised.value.problems] == ["$.academic_years[0].start"]


def test_fewer_cohorts_may_not_strand_a_resident_the_bundle_leaves_out(imported):
    Resident.objects.filter(program=imported, external_id="R005").update(cohort=4)
    bundle = small_bundle()
    bundle["template"] = {"x_weeks": 4, "y_weeks": 2, "cohorts": 3}
    bundle["residents"] = [r for r in bundle["residents"] if r["id"] != "R005"]

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    [problem] = raised.value.problems
    assert problem.path == "$.template.cohorts" and "R005" in problem.message
    assert Program.objects.get(pk=imported.pk).x_weeks == 3


def test_the_demo_bundle_imports_and_round_trips(db, shared_demo_bundle_path):
    demo = json.loads(shared_demo_bundle_path.read_text())

    summary = bundle_import(data=demo)
    program = Program.objects.get(slug=demo["program"]["slug"])
    exported = bundle_export(program=program)

    assert summary["residents"].counts()["created"] == len(demo["residents"])
    assert exported["residents"] == demo["residents"]
    assert exported["rotations"] == demo["rotations"]
    assert exported["requirements"] == demo["requirements"]
    assert exported == demo
    assert Track.objects.filter(program=program).count() == len(demo["tracks"])
    assert not bundle_import(data=json.loads(bundle_json(program=program))).changed


def test_text_a_database_would_refuse_is_a_problem_not_a_crash(db):
    bundle = small_bundle()
    bundle["residents"][0]["name"] = "Ada\x00Lovelace"
    bundle["faculty"][0]["interests"] = ["\ud800 research"]

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    assert [p.path for p in raised.value.problems] == [
        "$.residents[0].name",
        "$.faculty[0].interests[0]",
    ]
    assert not Program.objects.exists()


def test_the_order_of_pgy_levels_is_kept_as_written(db):
    bundle = small_bundle()
    bundle["requirements"][1]["pgy"] = [3, 2]
    bundle["rotations"][0]["staffing"][1]["pgy"] = [3, 2]
    bundle_import(data=bundle)
    program = Program.objects.get(slug="test-im")

    assert bundle_export(program=program) == bundle
    assert not bundle_import(data=bundle).changed
