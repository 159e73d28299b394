"""Rendering a report as JSON-ready data and as terminal text."""

import json
from datetime import date

from compliance.engine import evaluate, report_as_dict, report_as_text
from tests.compliance.engine.builders import program, repeat, resident, ryear, with_weeks

AS_OF = date(2028, 7, 1)


def report_with_a_phase_error():
    weeks = with_weeks(repeat("WARDS*3 CLINIC*2", 52), {3: "WARDS"})
    facts = program(settings={"required_experiences": []})
    return evaluate(facts, [resident(ryear(weeks), name="Kira Garcia")], as_of=AS_OF)


def test_the_dict_survives_a_json_round_trip():
    data = json.loads(json.dumps(report_as_dict(report_with_a_phase_error())))
    assert data["format"] == "residency-compliance/1"
    assert data["as_of"] == "2028-07-01"
    [phase] = [f for f in data["findings"] if f["rule_id"] == "xy_phase"]
    assert (phase["severity"], phase["weeks"], phase["rotation"]) == ("critical", [3], "WARDS")
    assert data["residents"][0]["years"][0]["figures"]["clinic_sessions"] == 57


def test_the_dict_lists_every_limit_with_its_value_and_source():
    data = report_as_dict(report_with_a_phase_error())
    limits = {limit["id"]: limit for limit in data["limits"]}
    assert limits["continuity_clinic_min_sessions"]["verify"] is True
    assert limits["required_experiences"]["value"] == []
    assert limits["critical_care_max_months"]["source"].startswith("ACGME IM")


def test_the_text_report_shows_counts_findings_and_figures():
    text = report_as_text(report_with_a_phase_error())
    assert "1 critical" in text
    assert "CRITICAL  xy_phase" in text
    assert "R1 Kira Garcia" in text
    assert "RESIDENT" in text and "PROJ CLINIC" in text


def test_the_text_report_says_so_when_there_is_nothing_to_report():
    facts = program(settings={"required_experiences": []})
    assert "No findings." in report_as_text(evaluate(facts, [], as_of=AS_OF))
