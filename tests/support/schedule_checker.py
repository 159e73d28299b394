"""Independent checker of a residency-schedule/1 export against its residency-bundle/1.

Written from spec/program-bundle.md alone: it imports nothing from ``scheduling`` or
``programs`` and recomputes the X/Y phase itself, so a solver bug cannot hide behind a
shared helper. ``check_schedule`` returns one string per violated hard rule.

Run interpretation (the solver uses the same one):

- ``max_consecutive_weeks`` counts real consecutive weeks on the rotation, across phase
  boundaries; a leave week (no assignment) ends the run.
- ``min_run_weeks``: for an ``x`` or ``y`` rotation "a run ends where the resident's phase
  flips", so its runs are cut at the resident's phase boundaries and a run that ends because
  the phase flips is NOT exempt - the stint has to fit inside its phase block. A run of an
  ``any`` rotation is not ended by a phase flip: it is measured whole. Exempt are only runs
  cut short by the start or the end of the academic year (they touch week 0 or the last
  week) and runs next to a leave week (the week before or after is leave).
- Ambulatory share: ambulatory / (ambulatory + inpatient) weeks, where ``ambulatory``
  counts as ambulatory; ``inpatient``, ``critical_care`` and ``elective_inpatient`` as
  inpatient; ``vacation`` counts as neither. A resident with no such week is not checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from fractions import Fraction

INPATIENT = {"inpatient", "critical_care", "elective_inpatient"}


def _week_of(day: str, start: date, weeks: int) -> int | None:
    offset = (date.fromisoformat(day) - start).days
    return offset // 7 if 0 <= offset < 7 * weeks else None


def _cohorts_given(bundle: dict, export: dict, template: dict) -> tuple[dict, list[str]]:
    """Cohort per resident from the export; bundle-fixed cohorts must be kept."""
    problems = []
    cohorts = {}
    n = template["cohorts"]
    for res in bundle["residents"]:
        got = export.get("cohorts", {}).get(res["id"])
        if got is None:
            problems.append(f"{res['id']}: the export gives no cohort")
            continue
        if not 0 <= got < n:
            problems.append(f"{res['id']}: cohort {got} is outside 0..{n - 1}")
        if res.get("cohort") is not None and res["cohort"] != got:
            problems.append(f"{res['id']}: fixed cohort {res['cohort']} changed to {got}")
        cohorts[res["id"]] = got
    return cohorts, problems


def _phase(week: int, cohort: int, template: dict) -> str:
    """Spec: week w is Y when (w + cohort * step) % L >= x_weeks, L = x + y, step = L / n."""
    length = template["x_weeks"] + template["y_weeks"]
    step = length // template["cohorts"]
    return "y" if (week + cohort * step) % length >= template["x_weeks"] else "x"


def _runs(row: list, code: str):
    """Yield (first, last) of each maximal run of ``code`` in ``row``."""
    w = 0
    while w < len(row):
        if row[w] == code:
            s = w
            while w + 1 < len(row) and row[w + 1] == code:
                w += 1
            yield s, w
        w += 1


def check_schedule(bundle: dict, export: dict, year_name: str | None = None) -> list[str]:
    """Return a list of violation strings (empty when every hard rule holds)."""
    out: list[str] = []
    years = bundle["academic_years"]
    year = next(
        (y for y in years if y["name"] == (year_name or export.get("academic_year"))), years[0]
    )
    start, weeks = date.fromisoformat(year["start"]), year["weeks"]
    template = bundle["template"]
    if export.get("format") != "residency-schedule/1":
        out.append(f"export format is {export.get('format')!r}, not residency-schedule/1")
    expected = [(start + timedelta(weeks=w)).isoformat() for w in range(weeks)]
    if export.get("weeks") is not None and export["weeks"] != expected:
        out.append("export weeks do not list the academic year's Mondays")
    rotations = {r["code"]: r for r in bundle["rotations"]}
    residents = {r["id"]: r for r in bundle["residents"]}
    tracks = {t["code"]: t for t in bundle["tracks"]}
    cohorts, problems = _cohorts_given(bundle, export, template)
    out.extend(problems)

    grid: dict[str, list] = {rid: [None] * weeks for rid in residents}
    seen: Counter = Counter()
    for a in export.get("assignments", []):
        rid, code = a.get("resident"), a.get("rotation")
        w = _week_of(a.get("week", "1900-01-01"), start, weeks)
        if rid not in residents:
            out.append(f"assignment for unknown resident {rid!r}")
            continue
        if w is None or expected[w] != a["week"]:
            out.append(f"{rid}: assignment in {a.get('week')}, not a week of {year['name']}")
            continue
        if code not in rotations:
            out.append(f"{rid} {a['week']}: unknown rotation {code!r}")
        seen[(rid, w)] += 1
        grid[rid][w] = code

    for rid, res in residents.items():
        leave, vacation = set(), set()
        for q in res.get("requests") or []:
            target = (
                leave if q["kind"] == "leave" else vacation if q["kind"] == "vacation" else None
            )
            if target is not None:
                target.update(w for d in q["weeks"] if (w := _week_of(d, start, weeks)) is not None)
        row = grid[rid]
        cohort = cohorts.get(rid)
        phases = [_phase(w, cohort, template) if cohort is not None else "?" for w in range(weeks)]
        for w in range(weeks):
            n, when = seen[(rid, w)], expected[w]
            if w in leave:
                if n:
                    out.append(f"{rid} {when}: on leave but assigned {row[w]}")
                continue
            if n != 1:
                out.append(f"{rid} {when}: {n} assignments (exactly one expected)")
            code = row[w]
            if code not in rotations:
                continue
            rot = rotations[code]
            if rot["phase"] != "any" and phases[w] != "?" and rot["phase"] != phases[w]:
                out.append(
                    f"{rid} {when}: {code} is phase-{rot['phase']} but this is a "
                    f"{phases[w].upper()} week"
                )
            if w in vacation and rot["setting"] != "vacation":
                out.append(f"{rid} {when}: approved vacation but on {code}")
        out.extend(_check_runs(rid, row, phases, leave, rotations, expected))
        out.extend(_check_requirements(rid, res, row, bundle["requirements"]))
        out.extend(_check_band(rid, res, row, rotations, tracks))
    out.extend(_check_staffing(residents, grid, rotations, expected))
    return out


def _check_runs(rid, row, phases, leave, rotations, when) -> list[str]:
    out = []
    last = len(row) - 1
    for code, rot in rotations.items():
        most, least = rot.get("max_consecutive_weeks"), rot.get("min_run_weeks")
        for s, e in _runs(row, code):
            if most and e - s + 1 > most:
                out.append(
                    f"{rid}: {e - s + 1} consecutive weeks of {code} from {when[s]} (max {most})"
                )
            if not least:
                continue
            # An x or y rotation's run ends at a phase flip; an `any` rotation's does not.
            cut = rot.get("phase") in ("x", "y")
            piece = s
            for w in range(s, e + 1):
                if w == e or (cut and phases[w + 1] != phases[w]):
                    exempt = piece == 0 or w == last or (piece - 1) in leave or (w + 1) in leave
                    if not exempt and w - piece + 1 < least:
                        out.append(
                            f"{rid}: run of {w - piece + 1} week(s) of {code} from "
                            f"{when[piece]} (min run {least})"
                        )
                    piece = w + 1
    return out


def _check_requirements(rid, res, row, requirements) -> list[str]:
    out = []
    for i, q in enumerate(requirements, start=1):
        tracks = q.get("tracks", "*")
        if (tracks != "*" and res["track"] not in tracks) or res["pgy"] not in q["pgy"]:
            continue
        n = sum(1 for code in row if code in q["rotations"])
        lo, hi = q.get("min_weeks"), q.get("max_weeks")
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            out.append(
                f"{rid}: requirement #{i} ({'/'.join(q['rotations'])}) has {n} weeks, "
                f"needs [{lo}, {hi}]"
            )
    return out


def _check_band(rid, res, row, rotations, tracks) -> list[str]:
    track = tracks.get(res["track"])
    if track is None or not track.get("ambulatory_share"):
        return []
    settings = [rotations[c]["setting"] for c in row if c in rotations]
    amb = sum(1 for s in settings if s == "ambulatory")
    inp = sum(1 for s in settings if s in INPATIENT)
    if amb + inp == 0:
        return []
    share = Fraction(amb, amb + inp)
    lo, hi = (Fraction(str(v)) for v in track["ambulatory_share"])
    if not lo <= share <= hi:
        return [
            f"{rid}: ambulatory share {float(share):.3f} ({amb}/{amb + inp}) outside "
            f"{track['code']} band [{float(lo)}, {float(hi)}]"
        ]
    return []


def _check_staffing(residents, grid, rotations, when) -> list[str]:
    out = []
    counts: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for rid, row in grid.items():
        for w, code in enumerate(row):
            if code is not None:
                counts[(code, w)][residents[rid]["pgy"]] += 1
    for code, rot in rotations.items():
        for spec in rot.get("staffing") or []:
            for w in range(len(when)):
                n = sum(counts[(code, w)][p] for p in spec["pgy"])
                lo, hi = spec.get("min"), spec.get("max")
                if (lo is not None and n < lo) or (hi is not None and n > hi):
                    out.append(
                        f"{code} {when[w]}: {n} PGY-{spec['pgy']} residents, needs [{lo}, {hi}]"
                    )
    return out
