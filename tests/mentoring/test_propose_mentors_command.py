"""`manage.py propose_mentors SLUG [--json] [--all] [--save]`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mentoring.models import PairingProposal
from tests.factories import ResidentFactory
from tests.mentoring.factories import MentorshipFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("propose_mentors", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def program(two_programs):
    program = two_programs.program
    two_programs.resident.career_goals = ["medical education"]
    two_programs.resident.save(update_fields=["career_goals"])
    ResidentFactory(program=program, track=two_programs.resident.track, name="Zed Leftover", pgy=1)
    ResidentFactory(program=program, track=two_programs.resident.track, pgy=1)
    ResidentFactory(program=program, track=two_programs.resident.track, pgy=1)
    return program


def test_it_prints_pairs_with_score_and_reasons_total_and_leftovers(two_programs, program):
    text = run("alpha")
    assert f"{two_programs.resident.name} (PGY-1) -> {two_programs.faculty.name}: 10" in text
    assert "both: medical education" in text
    # One mentor with 3 places for four PGY-1 residents, at most 2 of a class per mentor.
    assert "Total score 10, 2 pairs." in text and "Left over (2):" in text
    assert "(class cap)" in text
    assert not PairingProposal.objects.exists()


def test_json_has_the_same_proposal(two_programs, program):
    report = json.loads(run("alpha", "--json"))
    assert report["proposal_id"] is None and report["scope"] == "unpaired"
    assert (len(report["pairs"]), len(report["unpaired"])) == (2, 2)
    assert report["total_score"] == sum(p["score"] for p in report["pairs"])
    first = report["pairs"][0]
    assert set(first) == {
        "resident_id",
        "resident",
        "pgy",
        "mentor_id",
        "mentor",
        "score",
        "reasons",
        "kept",
        "locked",
    }


def test_save_stores_a_draft_and_prints_it(two_programs, program):
    report = json.loads(run("alpha", "--json", "--save"))
    proposal = PairingProposal.objects.get()
    assert report["proposal_id"] == proposal.pk
    assert proposal.pairs.count() == len(report["pairs"])
    assert "saved as draft" in run("alpha", "--save")


def test_all_includes_residents_who_have_a_mentor(two_programs, program):
    MentorshipFactory(program=program, mentor=two_programs.faculty, resident=two_programs.resident)
    assert two_programs.resident.name not in run("alpha")
    report = json.loads(run("alpha", "--json", "--all"))
    kept = [p for p in report["pairs"] if p["resident_id"] == two_programs.resident.external_id]
    assert kept and kept[0]["kept"]


def test_an_unknown_program_is_an_error(db):
    with pytest.raises(CommandError, match="No program"):
        run("nowhere")


def test_json_names_people_by_the_programs_own_ids_not_database_rows(two_programs, program):
    """Machine output joins with the program's data: residents and faculty by their ids."""
    from programs.models import Faculty, Resident

    residents = set(Resident.objects.filter(program=program).values_list("external_id", flat=True))
    faculty = set(Faculty.objects.filter(program=program).values_list("external_id", flat=True))
    for flags in (["--json"], ["--json", "--save"]):
        report = json.loads(run("alpha", *flags))
        assert {p["resident_id"] for p in report["pairs"]} <= residents
        assert {p["mentor_id"] for p in report["pairs"]} <= faculty
        assert {u["resident_id"] for u in report["unpaired"]} <= residents
        assert report["pairs"] and report["unpaired"]
