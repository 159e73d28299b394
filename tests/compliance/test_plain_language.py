"""Compliance reads in a program director's words: rule titles and one-line explanations,
never a rule id (``critical_care_min_months``, ``xy_phase``) in charts, findings or limits;
findings as a title and a short detail that opens to the whole message; every resident
with a finding reachable; hard rules and findings told apart; limits edited as shown."""

import datetime
import html as html_lib
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from compliance import wording
from compliance.engine import LIMITS, ComplianceSettings
from compliance.forms import ComplianceLimitsForm
from compliance.models import Finding
from compliance.presenters import dashboard_charts, finding_rows, limit_rows
from compliance.services import compliance_run_create
from tests.support.compliance_world import build_world

AS_OF = datetime.date(2027, 9, 6)
RULES_DIR = Path(wording.__file__).parent / "engine" / "rules"


def engine_rule_ids() -> set[str]:
    """Every rule id the engine's rules can put on a finding (their id constants)."""
    ids = set()
    for module in RULES_DIR.glob("*.py"):
        ids |= set(re.findall(r'^[A-Z_]+ = "([a-z_]+)"$', module.read_text(), re.M))
    return ids | {"ambulatory_floor", "inpatient_floor"}  # worded as f"{kind}_floor"


def every_id() -> set[str]:
    return engine_rule_ids() | set(LIMITS)


def visible(html: str) -> str:
    """What a reader sees: no tags, no attributes, no script data."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def assert_no_rule_id(text: str) -> None:
    found = sorted(i for i in every_id() if re.search(rf"\b{i}\b", text))
    assert not found, f"rule ids shown to people: {found}"


@pytest.fixture
def run(two_programs):
    world = build_world(
        program=two_programs.program, director=two_programs.director, residents=24, years=1
    )
    return compliance_run_create(schedule=world.schedules[-1], trigger="edit", as_of=AS_OF)


def test_every_rule_the_engine_can_report_has_a_title_and_an_explanation():
    for rule_id in engine_rule_ids():
        text = wording.rule_text(rule_id)
        assert text.title != "Compliance rule", rule_id
        assert text.explanation, rule_id
    for limit_id in LIMITS:
        assert wording.limit_title(limit_id) not in ("", "Compliance rule"), limit_id


def test_an_unknown_rule_never_shows_its_id():
    assert wording.rule_title("some_new_rule") == "Compliance rule"


def test_the_dashboard_shows_no_rule_id(client, two_programs, run):
    client.force_login(two_programs.director)
    page = client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode()

    assert_no_rule_id(visible(page))
    charts = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert_no_rule_id(" ".join(charts["rules"]["labels"]))
    assert charts["rules"]["labels"]


def test_the_filters_name_rules_by_title(client, two_programs, run):
    client.force_login(two_programs.director)
    page = client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode()
    select = re.search(r'<select name="rule".*?</select>', page, re.S).group(0)
    assert_no_rule_id(visible(select))
    assert ">Any rule<" in select


def test_a_residents_balance_shows_no_rule_id(client, two_programs, run):
    finding = Finding.objects.filter(run=run, resident__isnull=False).first()
    client.force_login(two_programs.director)
    page = client.get(
        reverse("compliance:resident_balance", args=["alpha", finding.resident_id])
    ).content.decode()

    assert_no_rule_id(visible(page))
    assert '<details class="finding' in page


def test_findings_are_a_title_and_a_short_detail_that_opens_to_the_whole_message(
    client, two_programs, run
):
    client.force_login(two_programs.director)
    page = client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode()
    table = re.search(r'id="findings-table".*?</table>', page, re.S).group(0)
    summaries = [
        html_lib.unescape(s) for s in re.findall(r"<summary><strong>([^<]+)</strong>", table)
    ]
    assert summaries and all(s in {t.title for t in wording.RULES.values()} for s in summaries)
    long = next(f for f in Finding.objects.filter(run=run) if len(f.message) > 150)
    row = finding_rows([long])[0]
    assert len(row["detail"]) <= 151 and row["more"]
    assert html_lib.escape(long.message, quote=True) in table or long.message in visible(page)


def test_short_detail_keeps_the_first_sentence():
    message = "Projected 2 months, below 3. Training before PGY-3 is not recorded."
    assert wording.short_detail(message) == "Projected 2 months, below 3."
    assert wording.short_detail("word " * 60).endswith("…")


def test_every_resident_needing_attention_is_listed(client, two_programs, run):
    with_findings = (
        Finding.objects.filter(run=run, severity__in=["critical", "warning"])
        .exclude(resident=None)
        .values("resident")
        .distinct()
        .count()
    )
    assert with_findings > 12  # more than the old cut-off of 12
    client.force_login(two_programs.director)
    page = client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode()
    worst = re.search(r'<table[^>]*id="worst".*?</table>', page, re.S).group(0)
    assert worst.count("<tr>") - 1 == with_findings


def test_the_page_tells_hard_rules_from_findings(client, two_programs, run):
    client.force_login(two_programs.director)
    text = visible(client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode())
    assert "Hard rules" in text and "cannot be published" in text
    assert "do not block publishing" in text


def test_limits_are_listed_by_title_in_the_unit_shown(db):
    rows = limit_rows(set(), ComplianceSettings())
    floor = next(r for r in rows if r["id"] == "ambulatory_floor")
    assert floor["title"] == "Ambulatory share, minimum"
    assert floor["value"] == "33.3%" and floor["unit"] == "percent of weeks"


def test_shares_are_edited_as_percentages(db):
    form = ComplianceLimitsForm(in_force=ComplianceSettings())
    assert form.fields["ambulatory_floor"].initial == 33.33
    assert form.fields["ambulatory_floor"].label == "Ambulatory share, minimum (%)"
    data = {name: field.initial for name, field in form.fields.items()}
    data["required_experiences"] = form.fields["required_experiences"].initial
    data["inpatient_floor"] = "40"
    posted = ComplianceLimitsForm(data, in_force=ComplianceSettings())
    assert posted.is_valid(), posted.errors
    overrides = posted.overrides()
    assert overrides["inpatient_floor"] == pytest.approx(0.4)
    assert overrides["ambulatory_floor"] == 1 / 3  # shown rounded, posted back unchanged


def test_a_settings_error_names_limits_by_title(db):
    form = ComplianceLimitsForm(in_force=ComplianceSettings())
    data = {name: field.initial for name, field in form.fields.items()}
    data["critical_care_min_months"] = "8"
    posted = ComplianceLimitsForm(data, in_force=ComplianceSettings())
    assert not posted.is_valid()
    message = " ".join(e for errors in posted.errors.values() for e in errors)
    assert "Critical care, minimum" in message
    assert_no_rule_id(message)


def test_chart_labels_are_titles():
    charts = dashboard_charts([], [{"rule_id": "xy_phase", "critical": 1, "warning": 0}])
    assert charts["rules"]["labels"] == ["Right phase of the X+Y cycle"]


def test_the_digest_email_names_rules_by_title(db, monkeypatch, django_capture_on_commit_callbacks):
    from compliance.models import ComplianceRun
    from tests.support.mail import record_queued_emails

    world = build_world(residents=8, years=2)
    queued = record_queued_emails(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        compliance_run_create(
            schedule=world.schedules[-1], trigger=ComplianceRun.Trigger.EDIT, as_of=AS_OF
        )
    [message] = queued
    assert_no_rule_id(message["body"])
    assert any(t.title in message["body"] for t in wording.RULES.values())


def test_limits_read_as_symbols_not_code():
    assert wording.limit_in_words(">= 3 months") == "≥ 3 months"
    assert wording.limit_in_words("<= 6 weeks") == "≤ 6 weeks"
    assert wording.limit_in_words("50%–60%") == "50%–60%"


def test_findings_show_their_limit_with_a_symbol(client, two_programs, run):
    finding = Finding.objects.filter(run=run, limit__startswith=">=").first()
    assert finding is not None
    client.force_login(two_programs.director)
    dashboard = client.get(reverse("compliance:dashboard", args=["alpha"])).content.decode()
    balance = client.get(
        reverse("compliance:resident_balance", args=["alpha", finding.resident_id])
    ).content.decode()
    for page in (dashboard, balance):
        assert "&gt;= " not in visible_raw(page) and "≥ " in page


def visible_raw(html: str) -> str:
    return re.sub(r"<script.*?</script>", " ", html, flags=re.S)
