"""A bad bundle is refused with every problem at its JSON path, and nothing is written."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from programs.bundle import (
    BundleInvalid,
    bundle_export,
    bundle_import,
    bundle_parse,
    bundle_problems,
)
from programs.bundle.validate import PROGRAM_FIELDS, TEMPLATE_FIELDS, TRACK_FIELDS, YEAR_FIELDS
from programs.bundle.validate_curriculum import (
    REQUIREMENT_FIELDS,
    ROTATION_FIELDS,
    STAFFING_FIELDS,
)
from programs.bundle.validate_people import FACULTY_FIELDS, REQUEST_FIELDS, RESIDENT_FIELDS
from programs.models import Program
from tests.programs.bundles import row_counts, small_bundle
from tests.programs.schema_check import load_schema, schema_errors


def _wrong_format(b):
    b["format"] = "residency-bundle/2"


def _missing_program_name(b):
    del b["program"]["name"]


def _unknown_rotation_key(b):
    b["rotations"][0]["colour"] = "#ff0000"


def _pgy_as_text(b):
    b["residents"][2]["pgy"] = "2"


def _unknown_codes(b):
    b["requirements"][0]["rotations"] = ["WARDS", "SURGERY"]
    b["requirements"][1]["tracks"] = ["CAT", "ONC"]
    b["residents"][0]["track"] = "PRELIM"
    b["residents"][2]["requests"][0]["rotation"] = "NIGHTS"


def _duplicate_codes_and_ids(b):
    b["rotations"][3]["code"] = "ICU"
    b["tracks"].append({"code": "cat", "name": "Categorical again", "ambulatory_share": [0, 1]})
    b["residents"][4]["id"] = "R001"
    b["residents"][5]["email"] = "ADA@example.org"
    b["faculty"][1]["email"] = "carmen@example.org"


def _min_above_max(b):
    b["rotations"][1]["staffing"][0] = {"pgy": [1, 2, 3], "min": 3, "max": 2}
    b["requirements"][1]["min_weeks"] = 8
    b["tracks"][1]["ambulatory_share"] = [0.6, 0.5]


def _start_not_a_monday(b):
    b["academic_years"][0]["start"] = "2027-06-29"


def _year_of_54_weeks(b):
    b["academic_years"][0]["weeks"] = 54


def _request_weeks_outside_the_year_or_not_mondays(b):
    b["residents"][1]["requests"][1]["weeks"] = ["2027-12-20", "2028-07-03", "2027-12-29"]


def _vacation_in_a_leave_week(b):
    b["residents"][1]["requests"][1]["weeks"] = ["2027-10-11"]


def _cohorts_not_dividing_the_cycle(b):
    b["template"]["cohorts"] = 4


def _cohort_beyond_the_template(b):
    b["residents"][3]["cohort"] = 5


def _weights_outside_1_to_10(b):
    b["residents"][0]["requests"][1]["weight"] = 11
    b["residents"][2]["requests"][0]["weight"] = 0


def _unknown_setting_phase_and_kind(b):
    b["rotations"][2]["setting"] = "nights"
    b["rotations"][3]["phase"] = "y-weeks"
    b["residents"][4]["requests"] = [{"kind": "swap", "weeks": ["2027-07-05"]}]


def _min_run_longer_than_max_consecutive(b):
    b["rotations"][1]["min_run_weeks"] = 4


def _requirement_without_bounds_and_a_duplicate(b):
    del b["requirements"][0]["min_weeks"]
    b["requirements"].append(
        {"tracks": ["PC", "CAT"], "pgy": [3, 2], "rotations": ["ICU"], "max_weeks": 4}
    )


def _bad_program_fields(b):
    b["program"]["timezone"] = "Mars/Olympus_Mons"
    b["program"]["slug"] = "test im"


def _wrong_types_everywhere(b):
    b["academic_years"] = {"name": "2027-2028"}
    b["faculty"][0]["mentor_capacity"] = True
    b["residents"][0]["requests"] = "none"
    b["rotations"][0]["staffing"][1]["pgy"] = [2, 2]


def _vacation_without_a_vacation_rotation(b):
    b["rotations"] = [r for r in b["rotations"] if r["code"] != "VAC"]


def _names_that_would_break_web_addresses(b):
    """A year, slug or code becomes part of a URL: `2099/2100` broke every program page."""
    b["program"]["slug"] = "-test-im"
    b["academic_years"][0]["name"] = "2099/2100"
    b["tracks"].append({"code": "PC?x", "name": "Odd", "ambulatory_share": [0, 1]})
    b["rotations"].append({"code": "ICU#2", "name": "ICU 2", "setting": "inpatient", "phase": "x"})


def _years_outside_2000_to_2100(b):
    b["academic_years"][0]["start"] = "9999-12-27"  # a Monday; its end overflowed
    b["academic_years"].append({"name": "1999-2000", "start": "1999-06-28", "weeks": 52})


BAD_BUNDLES = [
    (_wrong_format, ["$.format"]),
    (_missing_program_name, ["$.program.name"]),
    (_unknown_rotation_key, ["$.rotations[0].colour"]),
    (_pgy_as_text, ["$.residents[2].pgy"]),
    (
        _unknown_codes,
        [
            "$.requirements[0].rotations[1]",
            "$.requirements[1].tracks[1]",
            "$.residents[0].track",
            "$.residents[2].requests[0].rotation",
        ],
    ),
    (
        _duplicate_codes_and_ids,
        [
            "$.tracks[2].code",
            "$.rotations[3].code",
            "$.residents[4].id",
            "$.residents[5].email",
            "$.faculty[1].email",
        ],
    ),
    (
        _min_above_max,
        [
            "$.tracks[1].ambulatory_share",
            "$.rotations[1].staffing[0].min",
            "$.requirements[1].min_weeks",
        ],
    ),
    (_start_not_a_monday, ["$.academic_years[0].start"]),
    (_year_of_54_weeks, ["$.academic_years[0].weeks"]),
    (
        _request_weeks_outside_the_year_or_not_mondays,
        ["$.residents[1].requests[1].weeks[1]", "$.residents[1].requests[1].weeks[2]"],
    ),
    (_vacation_in_a_leave_week, ["$.residents[1].requests[1].weeks[0]"]),
    (_cohorts_not_dividing_the_cycle, ["$.template.cohorts"]),
    (_cohort_beyond_the_template, ["$.residents[3].cohort"]),
    (
        _weights_outside_1_to_10,
        ["$.residents[0].requests[1].weight", "$.residents[2].requests[0].weight"],
    ),
    (
        _unknown_setting_phase_and_kind,
        ["$.rotations[2].setting", "$.rotations[3].phase", "$.residents[4].requests[0].kind"],
    ),
    (_min_run_longer_than_max_consecutive, ["$.rotations[1].min_run_weeks"]),
    (_requirement_without_bounds_and_a_duplicate, ["$.requirements[0]", "$.requirements[3]"]),
    (_bad_program_fields, ["$.program.slug", "$.program.timezone"]),
    (
        _wrong_types_everywhere,
        [
            "$.academic_years",
            "$.rotations[0].staffing[1].pgy[1]",
            "$.residents[0].requests",
            "$.faculty[0].mentor_capacity",
        ],
    ),
    (
        _vacation_without_a_vacation_rotation,
        ["$.residents[0].requests[0].kind", "$.residents[1].requests[1].kind"],
    ),
    (
        _names_that_would_break_web_addresses,
        [
            "$.program.slug",
            "$.academic_years[0].name",
            "$.tracks[2].code",
            "$.rotations[6].code",
        ],
    ),
    (
        _years_outside_2000_to_2100,
        ["$.academic_years[0].start", "$.academic_years[1].start"],
    ),
]


@pytest.mark.parametrize(
    ("spoil", "paths"), BAD_BUNDLES, ids=[spoil.__name__.strip("_") for spoil, _ in BAD_BUNDLES]
)
def test_each_bad_bundle_is_refused_with_the_exact_paths_and_changes_nothing(db, spoil, paths):
    bundle_import(data=small_bundle())
    program = Program.objects.get(slug="test-im")
    before, exported = row_counts(), bundle_export(program=program)
    bundle = small_bundle()
    spoil(bundle)

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    assert [problem.path for problem in raised.value.problems] == paths
    assert row_counts() == before
    assert bundle_export(program=program) == exported


@pytest.mark.parametrize(
    ("spoil", "paths"), BAD_BUNDLES, ids=[spoil.__name__.strip("_") for spoil, _ in BAD_BUNDLES]
)
def test_a_bad_bundle_for_a_new_program_creates_nothing(db, spoil, paths):
    bundle = small_bundle()
    spoil(bundle)
    before = row_counts()

    with pytest.raises(BundleInvalid):
        bundle_import(data=bundle, dry_run=False)

    assert row_counts() == before


def test_a_year_name_that_would_break_web_addresses_is_explained():
    bundle = small_bundle()
    bundle["academic_years"][0]["name"] = "2099/2100"

    assert [str(p) for p in bundle_problems(bundle)] == [
        "$.academic_years[0].name: expected letters, digits, '-' or '_' only, starting with a "
        "letter or digit (it becomes part of web addresses), e.g. '2027-2028'; got '2099/2100'"
    ]


def test_a_year_far_in_the_future_is_a_problem_not_an_overflow(db):
    bundle = small_bundle()
    bundle["academic_years"] = [{"name": "9999-10000", "start": "9999-12-27", "weeks": 53}]

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=bundle)

    assert [str(p) for p in raised.value.problems] == [
        "$.academic_years[0].start: expected a date from 2000-01-01 to 2100-12-31, got '9999-12-27'"
    ]


def test_it_collects_every_problem_rather_than_stopping_at_the_first():
    bundle = small_bundle()
    for spoil, _ in BAD_BUNDLES[3:9]:
        spoil(bundle)

    paths = [problem.path for problem in bundle_problems(bundle)]

    assert len(paths) == len(set(paths)) >= 12
    assert "$.academic_years[0].start" in paths and "$.residents[2].pgy" in paths


def test_a_week_deep_in_a_request_is_named_down_to_its_index():
    bundle = small_bundle()
    bundle["residents"][5]["requests"] = [
        {"kind": "leave", "weeks": ["2027-07-05", "2027-07-12"]},
        {"kind": "avoid", "rotation": "ICU", "weeks": ["2027-08-02", "2027-08-04"], "weight": 2},
    ]

    [problem] = bundle_problems(bundle)

    assert problem.path == "$.residents[5].requests[1].weeks[1]"
    assert problem.message == "expected a Monday, got 2027-08-04 (a Wednesday)"


def test_messages_say_what_was_expected_and_what_was_found():
    bundle = small_bundle()
    bundle["residents"][2]["pgy"] = "x"
    bundle["residents"][0]["requests"][0]["weeks"] = ["2027-10-11"]
    bundle["residents"][0]["requests"].insert(0, {"kind": "leave", "weeks": ["2027-10-11"]})

    messages = {str(problem) for problem in bundle_problems(bundle)}

    assert messages == {
        "$.residents[2].pgy: expected a PGY level 1, 2 or 3, got 'x'",
        "$.residents[0].requests[1].weeks[0]: 2027-10-11 is also a leave week "
        "($.residents[0].requests[0])",
    }


def test_a_document_that_is_not_an_object_is_one_problem_at_the_root():
    assert [str(p) for p in bundle_problems([1, 2])] == ["$: expected an object, got a list"]


def test_odd_keys_are_quoted_in_the_path():
    bundle = small_bundle()
    bundle["program"]["time zone"] = "UTC"

    assert [p.path for p in bundle_problems(bundle)] == ["$.program['time zone']"]


def test_malformed_json_is_reported_with_its_line_and_column():
    with pytest.raises(BundleInvalid) as raised:
        bundle_parse(b'{\n  "format": "residency-bundle/1",\n  "program": {,\n}')

    [problem] = raised.value.problems
    assert problem.path == "$"
    assert "line 3, column 15" in problem.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b"\xff\xfe{}", "the file is not UTF-8 text (bad byte at position 0)"),
        (b'{"weeks": NaN}', "not valid JSON: NaN is not allowed in JSON"),
    ],
)
def test_unreadable_files_are_one_clear_problem(raw, message):
    with pytest.raises(BundleInvalid) as raised:
        bundle_parse(raw)

    assert [str(p) for p in raised.value.problems] == [f"$: {message}"]


def test_a_byte_order_mark_is_accepted():
    assert bundle_parse("\ufeff{}".encode()) == {}


def test_the_small_bundle_and_the_demo_conform_to_the_published_schema(shared_demo_bundle_path):
    assert schema_errors(small_bundle()) == []
    assert bundle_problems(small_bundle()) == []
    assert schema_errors(json.loads(shared_demo_bundle_path.read_text())) == []


@pytest.mark.parametrize(
    ("spoil", "paths"), BAD_BUNDLES, ids=[spoil.__name__.strip("_") for spoil, _ in BAD_BUNDLES]
)
def test_the_schema_agrees_where_it_can_see_the_problem(spoil, paths):
    """Structural problems break the schema too; cross-record ones (duplicates, unknown codes,
    min > max, weeks outside the year...) are the importer's alone."""
    bundle = small_bundle()
    spoil(bundle)
    structural = {
        _wrong_format,
        _missing_program_name,
        _unknown_rotation_key,
        _pgy_as_text,
        _year_of_54_weeks,
        _weights_outside_1_to_10,
        _unknown_setting_phase_and_kind,
        _requirement_without_bounds_and_a_duplicate,
        _bad_program_fields,
        _wrong_types_everywhere,
        _names_that_would_break_web_addresses,
        _years_outside_2000_to_2100,
    }
    assert bool(schema_errors(bundle)) == (spoil in structural)


def test_the_example_in_the_user_documentation_is_a_valid_bundle():
    text = (Path(settings.BASE_DIR) / "docs" / "bundle-format.md").read_text()
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])

    assert bundle_problems(example) == []
    assert schema_errors(example) == []


def test_the_schema_lists_the_same_keys_the_validator_checks():
    defs = load_schema()["$defs"]
    tables = {
        "program": PROGRAM_FIELDS,
        "academic_year": YEAR_FIELDS,
        "template": TEMPLATE_FIELDS,
        "track": TRACK_FIELDS,
        "rotation": ROTATION_FIELDS,
        "staffing_rule": STAFFING_FIELDS,
        "requirement": REQUIREMENT_FIELDS,
        "resident": RESIDENT_FIELDS,
        "faculty_member": FACULTY_FIELDS,
    }
    for name, fields in tables.items():
        assert set(defs[name]["properties"]) == set(fields), name
        assert set(defs[name]["required"]) == {k for k, f in fields.items() if f.required}, name
    for option in defs["request"]["oneOf"]:
        kind = option["properties"]["kind"]["const"]
        assert set(option["properties"]) == set(REQUEST_FIELDS[kind])
        assert set(option["required"]) == set(REQUEST_FIELDS[kind])
