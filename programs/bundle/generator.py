"""Generate realistic, feasible residency-bundle/1 programs of any size (tests, benchmarks).

``generate_bundle`` builds a program shaped like data/demo-program.json - the same
rotations, requirements and kinds of requests - with weekly staffing scaled to the number of
residents actually in their X phase each week, so it stays feasible from 20 to 500
residents and for any X+Y template. ``generate_infeasible_bundle`` breaks one rule on
purpose, for tests of prechecks and explanations. Pure Python, deterministic per seed.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

from mentoring.vocabulary import INTERESTS
from programs.bundle.variants import add_contested_wishes, make_runs_long
from scheduling.xy import assign_cohorts, is_y_week


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    """Aisha Ben Chloe Dev Elena Farid Grace Hugo Imani Jonas Kira Liam Maya Noor Omar Priya
    Quinn Rosa Sam Tariq Uma Victor Wen Ximena Yusuf Zoe Ana Bruno Carmen Diego Eva Felix Hana
    Ivan Julia Kenji Lena Mateo Nadia Oscar Paula Rafael Sofia Theo Valeria Will"""
)
LAST = _words(
    """Garcia Novak Haddad Moreno Fischer Reyes Tanaka Okafor Silva Kowalski Nguyen Patel Larsen
    Rossi Walsh Cohen Mensah Dubois Ito Schmidt Alvarez Khan Murphy Petrov Sato Andersen Costa
    Ibrahim Lindqvist Mbeki O'Brien Park Quispe Romero Yilmaz Zhang"""
)
TRACKS = {
    "CAT": ("Categorical", [0.34, 0.5]),
    "PC": ("Primary Care", [0.5, 0.6]),
    "PRE": ("Preliminary", [0.3, 0.5]),
}
INFEASIBLE_KINDS = ("icu_staffing", "wards_requirement", "band", "vacation_clash", "min_run")


def _scaled(weeks: int, n: int | None, up: bool = False) -> int | None:
    """Scale a 52-week count to ``weeks`` weeks (requirements of short test years)."""
    if n is None or weeks == 52:
        return n
    value = n * weeks / 52
    return max(1, math.ceil(value) if up else math.floor(value))


def _unique_name(first: str, last: str, used: Counter) -> tuple[str, str]:
    """`first` `last`, or if someone already has that name, `first` with the next unused last
    name: no two people look alike on a grid. Draws nothing from the random generator, so a
    seed's schedule problem stays what it was (only some names change)."""
    start = LAST.index(last)
    for step in range(len(LAST)):
        candidate = LAST[(start + step) % len(LAST)]
        if not used[(first, candidate)]:
            used[(first, candidate)] += 1
            return first, candidate
    used[(first, last)] += 1
    return first, last


def _roster(rng: random.Random, residents: int, tracks: tuple[str, ...]) -> list[dict]:
    """PGY-1..3 thirds; Preliminary interns ~10%, Primary Care ~12%, the rest first track."""
    pre = round(0.10 * residents) if "PRE" in tracks else 0
    pc = round(0.12 * residents) if "PC" in tracks else 0
    main = [t for t in tracks if t not in ("PRE", "PC")] or ["CAT"]
    mix = [("PRE", 1)] * pre
    mix += [("PC", 1 + i % 3) for i in range(pc)]
    rest = residents - len(mix)
    mix += [(main[i % len(main)], 1 + i % 3) for i in range(rest)]
    mix.sort(key=lambda tp: (tp[1], tp[0]))
    people, used = [], Counter()
    for i, (track, pgy) in enumerate(mix, start=1):
        first, last = _unique_name(rng.choice(FIRST), rng.choice(LAST), used)
        email = f"{first}.{last}{i}@example.org".lower().replace("'", "")
        people.append(
            {
                "id": f"R{i:04d}",
                "name": f"{first} {last}",
                "email": email,
                "pgy": pgy,
                "track": track,
                "requests": [],
            }
        )
    return people


def _requirements(weeks: int, tracks: tuple[str, ...]) -> list[dict[str, Any]]:
    core = [t for t in tracks if t != "PRE"]

    def req(trk, pgy, rots, lo=None, hi=None):
        item = {"tracks": trk, "pgy": pgy, "rotations": rots}
        if lo is not None:
            item["min_weeks"] = _scaled(weeks, lo)
        if hi is not None:
            item["max_weeks"] = _scaled(weeks, hi, up=True)
        return item

    reqs = [
        req("*", [1], ["WARDS"], 9),
        req("*", [1], ["ICU"], 3, 6),
        req("*", [1], ["NF"], 2, 4),
        req(core, [2, 3], ["WARDS"], 6),
        req(core, [2, 3], ["ICU"], 3, 6),
        req(core, [2], ["NF"], 2, 4),
        req(core, [1, 2, 3], ["VAC"], 4, 4),
    ]
    if "PRE" in tracks:
        reqs.append(req(["PRE"], [1], ["VAC"], 3, 3))
    if "PC" in tracks:
        reqs.append(req(["PC"], [2, 3], ["GERI"], 2))
    return reqs


def _requests(rng, people, weeks, year_start, vac_cap: int) -> None:
    """Approved vacation, a few leaves, and soft wishes; per-week caps keep staffing feasible."""
    day = lambda w: (year_start + timedelta(weeks=w)).isoformat()  # noqa: E731
    busy: Counter[tuple[int, int]] = Counter()  # (pgy group, week) -> residents away
    group = lambda p: 1 if p["pgy"] == 1 else 2  # noqa: E731
    size = Counter(group(p) for p in people)
    away_cap = {g: max(1, n // 14) for g, n in size.items()}
    leaves = max(1, round(0.03 * len(people))) if len(people) >= 30 and weeks >= 20 else 0
    for p in rng.sample(people, leaves):
        if p["track"] == "PRE":
            continue
        length = rng.randint(4, 6)
        for _ in range(20):
            start = rng.randrange(2, weeks - length - 2)
            span = range(start, start + length)
            if all(busy[(group(p), w)] < away_cap[group(p)] for w in span):
                for w in span:
                    busy[(group(p), w)] += 1
                p["requests"].append({"kind": "leave", "weeks": [day(w) for w in span]})
                break
    on_vacation: Counter[int] = Counter()
    for p in people:
        if rng.random() < 0.55:
            taken = set()
            allowed = _scaled(weeks, 3 if p["track"] == "PRE" else 4)
            for _ in range(min(allowed, rng.choice([1, 1, 2]))):
                for _ in range(20):
                    w = rng.randrange(weeks)
                    g = (group(p), w)
                    if w in taken or busy[g] >= away_cap[group(p)] or on_vacation[w] >= vac_cap:
                        continue
                    if any(day(w) in _weeks(q) for q in p["requests"]):
                        continue
                    taken.add(w)
                    busy[g] += 1
                    on_vacation[w] += 1
                    break
            if taken:
                p["requests"].append({"kind": "vacation", "weeks": [day(w) for w in sorted(taken)]})
        if rng.random() < 0.35:
            rotation = rng.choice(["CARDS", "ELEC", "GERI", "AMBSUB"])
            p["requests"].append(
                {"kind": "prefer", "rotation": rotation, "weight": rng.randint(1, 10)}
            )
        if rng.random() < 0.15 and weeks >= 8:
            start = rng.randrange(weeks - 4)
            p["requests"].append(
                {
                    "kind": "avoid",
                    "rotation": "NF",
                    "weeks": [day(w) for w in range(start, start + 4)],
                    "weight": rng.randint(1, 10),
                }
            )


def _weeks(request: dict) -> list[str]:
    return request.get("weeks", [])


def _x_available(people, cohorts, weeks, year_start, template) -> dict[int, int]:
    """Fewest residents of each PGY group (1; 2-3) in their X phase, present, in any week."""
    gone: Counter[tuple[str, int]] = Counter()
    for p in people:
        for q in p["requests"]:
            if q["kind"] in ("leave", "vacation"):
                for d in q["weeks"]:
                    gone[(p["id"], (date.fromisoformat(d) - year_start).days // 7)] += 1
    low = {}
    for g in (1, 2):
        counts = []
        for w in range(weeks):
            counts.append(
                sum(
                    1
                    for p in people
                    if (1 if p["pgy"] == 1 else 2) == g
                    and not is_y_week(w, cohorts[p["id"]], **template)
                    and not gone[(p["id"], w)]
                )
            )
        low[g] = min(counts) if counts else 0
    return low


def generate_bundle(
    *,
    residents: int = 60,
    seed: int = 0,
    slug: str = "gen-im",
    year_start: date = date(2027, 6, 28),
    weeks: int = 52,
    x_weeks: int = 3,
    y_weeks: int = 2,
    cohorts: int = 5,
    tracks: tuple[str, ...] = ("CAT", "PC", "PRE"),
    contested: bool = False,
    long_runs: bool = False,
) -> dict[str, Any]:
    """Return a feasible residency-bundle/1 dict; the same arguments give the same bundle.

    ``contested`` adds conflicting wishes and ``long_runs`` any-phase electives with 4-week
    minimum stints (see ``programs.bundle.variants``).
    """
    if year_start.weekday() != 0:
        raise ValueError("an academic year starts on a Monday")
    rng = random.Random(seed)
    template = {"x_weeks": x_weeks, "y_weeks": y_weeks, "cohorts": cohorts}
    people = _roster(rng, residents, tracks)
    cohort_of = assign_cohorts(people, cohorts)
    vac_cap = max(2, math.ceil(residents * 4 / weeks * 0.8))
    _requests(rng, people, weeks, year_start, vac_cap)
    avail = _x_available(people, cohort_of, weeks, year_start, template)
    n1 = sum(1 for p in people if p["pgy"] == 1)
    n23 = residents - n1
    x_share = x_weeks / (x_weeks + y_weeks)
    x_all = max(
        sum(1 for p in people if not is_y_week(w, cohort_of[p["id"]], **template))
        for w in range(weeks)
    )
    bands = {
        t: (
            TRACKS.get(t, (t, [0.34, 0.6]))[1][0],
            max(TRACKS.get(t, (t, [0.34, 0.6]))[1][1], round(1 - x_share + 0.15, 2)),
        )
        for t in tracks
    }

    def staff(group_avail, n, frac, req_max, req_min, extra=0):
        """Weekly (min, max) within what the group can give and its requirements need."""
        most, least = _scaled(weeks, req_max, up=True), _scaled(weeks, req_min)
        lo = max(1 if group_avail >= 6 else 0, math.floor(frac * group_avail))
        lo = min(lo, n * most // weeks)  # the year's minimum fits the requirement maxima
        hi = max(lo + 1 + extra, math.ceil(1.5 * n * (least + most) / 2 / weeks) + 1)
        return lo, hi

    w1 = staff(avail[1], n1, 0.40, 9, 9, extra=2)
    w23 = staff(avail[2], n23, 0.30, 6, 6, extra=2)
    i1 = staff(avail[1], n1, 0.10, 6, 3)
    i23 = staff(avail[2], n23, 0.08, 6, 3)
    f1 = staff(avail[1], n1, 0.07, 4, 2)
    f23 = staff(avail[2], n23, 0.05, 4, 2)
    cards = (1 if residents >= 20 else 0, max(2, math.ceil(0.05 * x_all)))
    # X-phase ambulatory weeks each resident needs to reach the track band's minimum.
    vac = _scaled(weeks, 4)
    amb_need = sum(
        max(0, math.ceil(bands[p["track"]][0] * (weeks - vac) - ((1 - x_share) * weeks - vac))) + 2
        for p in people
    )
    amb_max = max(3, math.ceil(1.6 * amb_need / weeks) + 2)
    geri_max = max(2, math.ceil(0.04 * x_all))
    vac_max = max(3, math.ceil(2 * 4 * residents / 52) + 1)
    fixed_max = w1[1] + w23[1] + i1[1] + i23[1] + f1[1] + f23[1] + cards[1] + geri_max + amb_max
    elec_max = max(math.ceil(0.25 * x_all), x_all - fixed_max + 4)

    def rot(code, name, setting, phase, staffing=None, **rules):
        item = {"code": code, "name": name, "setting": setting, "phase": phase}
        if staffing is not None:
            item["staffing"] = [{"pgy": g, "min": lo, "max": hi} for g, (lo, hi) in staffing]
        item.update({k: v for k, v in rules.items() if v})
        return item

    rotations = [
        rot(
            "WARDS",
            "General Medicine Wards",
            "inpatient",
            "x",
            [([1], w1), ([2, 3], w23)],
            min_run_weeks=2 if x_weeks >= 2 else None,
        ),
        rot(
            "ICU",
            "Medical ICU",
            "critical_care",
            "x",
            [([1], i1), ([2, 3], i23)],
            max_consecutive_weeks=3,
        ),
        rot(
            "NF",
            "Night Float",
            "inpatient",
            "x",
            [([1], f1), ([2, 3], f23)],
            max_consecutive_weeks=2,
        ),
        rot("CARDS", "Cardiology Consults", "inpatient", "x", [([1, 2, 3], cards)]),
        rot("GERI", "Geriatrics", "ambulatory", "x", [([1, 2, 3], (0, geri_max))]),
        rot(
            "AMBSUB",
            "Ambulatory Subspecialty Elective",
            "ambulatory",
            "x",
            [([1, 2, 3], (0, amb_max))],
        ),
        rot("ELEC", "Inpatient Elective", "elective_inpatient", "x", [([1, 2, 3], (0, elec_max))]),
        rot("CLINIC", "Continuity Clinic & Ambulatory Block", "ambulatory", "y"),
        rot("VAC", "Vacation", "vacation", "any", [([1, 2, 3], (0, vac_max))]),
    ]
    year = f"{year_start.year}-{year_start.year + 1}"
    bundle = {
        "format": "residency-bundle/1",
        "program": {
            "slug": slug,
            "name": f"{slug.upper()} Internal Medicine Residency",
            "institution": "Example Medical Center",
            "timezone": "America/New_York",
        },
        "academic_years": [{"name": year, "start": year_start.isoformat(), "weeks": weeks}],
        "template": template,
        "tracks": [
            {"code": t, "name": TRACKS.get(t, (t, None))[0], "ambulatory_share": list(bands[t])}
            for t in tracks
        ],
        "rotations": rotations,
        "requirements": _requirements(weeks, tracks),
        "residents": people,
        "faculty": _faculty(rng, residents),
    }
    if long_runs:
        make_runs_long(bundle, lambda n: _scaled(weeks, n))
    if contested:
        add_contested_wishes(bundle, seed)
    return bundle


def _faculty(rng: random.Random, residents: int) -> list[dict[str, Any]]:
    """Mentors whose capacities add up to at least one mentor per resident."""
    count = max(4, math.ceil(residents / 3.2))
    staff, used = [], Counter()
    for i in range(count):
        first, last = _unique_name(rng.choice(FIRST), rng.choice(LAST), used)
        staff.append(
            {
                "id": f"F{i + 1:03d}",
                "name": f"Dr. {first} {last}",
                "email": f"{first}.{last}.f{i}@example.org".lower().replace("'", ""),
                "mentor_capacity": rng.randint(2, 5),
                "interests": rng.sample(INTERESTS, rng.randint(2, 3)),
            }
        )
    short = residents - sum(f["mentor_capacity"] for f in staff)
    for i in range(max(0, short)):
        staff[i % count]["mentor_capacity"] += 1
    return staff


def generate_infeasible_bundle(kind: str = "icu_staffing", **kwargs: Any) -> dict[str, Any]:
    """Return a generated bundle with one rule broken on purpose.

    Kinds: ``icu_staffing`` (ICU needs more PGY-1 weeks than their ICU maximum allows),
    ``wards_requirement`` (PGY-1 wards minimum above the weeks wards can take),
    ``band`` (Primary Care band beyond reach), ``vacation_clash`` (everyone's approved
    vacation in one week, over the vacation cap) and ``min_run`` (ward stints longer than
    an X block: only the solver, not the prechecks, can see that one).
    """
    bundle = generate_bundle(**kwargs)
    weeks = bundle["academic_years"][0]["weeks"]
    rotations = {r["code"]: r for r in bundle["rotations"]}
    n1 = sum(1 for p in bundle["residents"] if p["pgy"] == 1)
    if kind == "icu_staffing":
        icu_max = next(q["max_weeks"] for q in bundle["requirements"] if q["rotations"] == ["ICU"])
        rotations["ICU"]["staffing"][0]["min"] = math.ceil(icu_max * n1 / weeks) + 1
        rotations["ICU"]["staffing"][0]["max"] = rotations["ICU"]["staffing"][0]["min"] + 2
    elif kind == "wards_requirement":
        cap = rotations["WARDS"]["staffing"][0]["max"] * weeks
        bundle["requirements"][0]["min_weeks"] = math.ceil(cap / max(1, n1)) + 1
    elif kind == "band":
        for track in bundle["tracks"]:
            if track["code"] == "PC":
                track["ambulatory_share"] = [0.9, 1.0]
    elif kind == "vacation_clash":
        start = date.fromisoformat(bundle["academic_years"][0]["start"])
        day = (start + timedelta(weeks=weeks // 2)).isoformat()
        for person in bundle["residents"]:
            person["requests"] = [q for q in person["requests"] if q["kind"] != "leave"]
            person["requests"].append({"kind": "vacation", "weeks": [day]})
    elif kind == "min_run":
        x_weeks = bundle["template"]["x_weeks"]
        rotations["WARDS"]["min_run_weeks"] = x_weeks + 1
    else:
        raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(INFEASIBLE_KINDS)}")
    return bundle
