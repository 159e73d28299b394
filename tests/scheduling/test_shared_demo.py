"""The spec's demo program, when ../shared sits beside the clone (CI): import it, build it
with the CLI, export residency-schedule/1 and check it with the independent checker."""

import io
import json

from django.core.management import call_command

from programs.bundle import bundle_export
from tests.support.schedule_checker import check_schedule


def test_the_demo_program_builds_to_a_schedule_the_checker_passes(db, shared_demo_bundle_path):
    call_command("import_program", str(shared_demo_bundle_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "build_schedule", "demo-im", "--year", "2027-2028", "--time-limit", "20", stdout=out
    )
    assert "status             succeeded" in out.getvalue()
    exported = io.StringIO()
    call_command(
        "export_schedule", "demo-im", "--year", "2027-2028", "--format", "json", stdout=exported
    )
    schedule = json.loads(exported.getvalue())
    bundle = json.loads(shared_demo_bundle_path.read_text())
    assert check_schedule(bundle, schedule) == []

    # Primary Care residents stay inside their 50-60% ambulatory band.
    from programs.models import Program

    program = Program.objects.get(slug="demo-im")
    settings = {r["code"]: r["setting"] for r in bundle_export(program=program)["rotations"]}
    pc = {r["id"] for r in bundle["residents"] if r["track"] == "PC"}
    weeks: dict[str, list[str]] = {rid: [] for rid in pc}
    for cell in schedule["assignments"]:
        if cell["resident"] in pc:
            weeks[cell["resident"]].append(settings[cell["rotation"]])
    for rid, kinds in weeks.items():
        counted = [k for k in kinds if k != "vacation"]
        share = sum(k == "ambulatory" for k in counted) / len(counted)
        assert 0.5 <= share <= 0.6, (rid, share)
