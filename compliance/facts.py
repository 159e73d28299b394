"""The engine's facts from the database: the selector that builds the pure engine's input.

`compliance_facts` turns a whole program (every academic year) into `ProgramFacts` and
`ResidentFacts` in a fixed number of queries; `compliance_report` evaluates one academic year
with them. The pages read stored runs through `compliance.selectors` instead.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from compliance.engine import (
    ComplianceReport,
    ProgramFacts,
    RequirementFacts,
    ResidentFacts,
    ResidentYearFacts,
    RotationFacts,
    StaffingFacts,
    YearFacts,
    evaluate,
)
from compliance.engine.facts import year_number
from compliance.engine.limits import normalise_tag
from compliance.selectors import program_compliance_settings
from programs.models import (
    AcademicYear,
    Program,
    Requirement,
    Resident,
    Rotation,
    StaffingRule,
    Track,
)
from scheduling import xy
from scheduling.models import Assignment, Schedule, ScheduleVersion, VersionResident

COUNTING_STATUSES = (ScheduleVersion.Status.PUBLISHED, ScheduleVersion.Status.DRAFT)
IN_TRAINING = (Resident.Status.ACTIVE, Resident.Status.LEAVE)
_ONE_YEAR_NAME = re.compile(r"prelim|transitional|\bty\b", re.IGNORECASE)


# --- Settings and tracks -------------------------------------------------------------------


def one_year_track_codes(
    *,
    tracks: Iterable[tuple[str, str]],
    requirement_levels: dict[str, set[int]],
    levels_seen: dict[str, set[int]],
) -> frozenset[str]:
    """Codes of the one-year tracks (Preliminary, Transitional): residents there graduate
    after PGY-1. The bundle format has no field for it, so this is a documented heuristic:

    a track is one-year when its code or name says so ("prelim", "transitional", "TY"), or
    when every requirement that names it explicitly covers PGY-1 only (the demo program's
    Preliminary track: 3 weeks' vacation at PGY-1 and nothing later). Either way, a track
    with a resident above PGY-1 (now or in a stored schedule) is never one-year.

    ``tracks`` are (code, name) pairs; ``requirement_levels`` maps a track code to the PGY
    levels of the requirements naming it; ``levels_seen`` to the PGY levels its residents have.
    """
    codes = set()
    for code, name in tracks:
        levels = requirement_levels.get(code)
        named = bool(_ONE_YEAR_NAME.search(f"{code} {name}"))
        if not (named or (levels and levels <= {1})):
            continue
        if any(level > 1 for level in levels_seen.get(code, ())):
            continue
        codes.add(code)
    return frozenset(codes)


def program_one_year_tracks(*, program: Program) -> frozenset[str]:
    """`one_year_track_codes` for a program, from its tracks, its requirements and the PGY
    levels on its roster (three queries; the roll-over uses it)."""
    tracks = list(Track.objects.for_program(program).values_list("pk", "code", "name"))
    code_of = {pk: code for pk, code, _ in tracks}
    requirement_levels: dict[str, set[int]] = defaultdict(set)
    for track_id, levels in Requirement.tracks.through.objects.filter(
        requirement__program=program, requirement__all_tracks=False
    ).values_list("track_id", "requirement__pgy_levels"):
        requirement_levels[code_of[track_id]].update(int(level) for level in levels)
    levels_seen: dict[str, set[int]] = defaultdict(set)
    for track_id, pgy in (
        Resident.objects.for_program(program).values_list("track_id", "pgy").distinct()
    ):
        levels_seen[code_of[track_id]].add(pgy)
    return one_year_track_codes(
        tracks=[(code, name) for _, code, name in tracks],
        requirement_levels=requirement_levels,
        levels_seen=levels_seen,
    )


# --- Years and versions --------------------------------------------------------------------


def year_for_date(years: Sequence, day: datetime.date):
    """The year containing `day`; else the latest one started before it; else the first.

    `years`: AcademicYear rows, or dicts with "start" and "weeks", in order of start.
    """
    started = [y for y in years if _start(y) <= day]
    for year in started:
        if day < _start(year) + datetime.timedelta(weeks=_weeks(year)):
            return year
    if started:
        return started[-1]
    return years[0] if years else None


def _start(year) -> datetime.date:
    return year["start"] if isinstance(year, dict) else year.start


def _weeks(year) -> int:
    return year["weeks"] if isinstance(year, dict) else year.weeks


def schedule_counting_version(*, schedule: Schedule) -> ScheduleVersion | None:
    """The version compliance counts: the published one, else the newest draft, else None."""
    versions = ScheduleVersion.objects.filter(
        schedule=schedule, status__in=COUNTING_STATUSES
    ).select_related("schedule__academic_year", "schedule__program")
    return versions.order_by("-status", "-number").first()  # "published" > "draft"


def _counting_versions(program: Program) -> dict[int, dict]:
    """Per academic-year id, the counting version as {"id", "status"} (one query)."""
    chosen: dict[int, dict] = {}
    rows = (
        ScheduleVersion.objects.filter(schedule__program=program, status__in=COUNTING_STATUSES)
        .values("pk", "status", "number", "schedule__academic_year_id")
        .order_by("number")
    )
    for row in rows:
        year_id = row["schedule__academic_year_id"]
        current = chosen.get(year_id)
        if current is not None and current["status"] == ScheduleVersion.Status.PUBLISHED:
            continue  # rows come by number: a later draft does not replace the published one
        chosen[year_id] = {"id": row["pk"], "status": row["status"], "n": row["number"]}
    return chosen


# --- The facts ------------------------------------------------------------------------------


def compliance_facts(
    *, program: Program, as_of: datetime.date
) -> tuple[ProgramFacts, list[ResidentFacts]]:
    """Everything the engine needs about `program`, over ALL its academic years.

    Eleven queries whatever the size (fewer when nothing is built): years, counting versions,
    tracks, rotations, staffing, requirements and their tracks and rotations, residents,
    version rows and assignments, the last two as plain tuples.

    * **Years.** Each year's schedule counts through its published version, else its newest
      draft; a year with neither has status "none".
    * **A resident's years** come from `VersionResident` (PGY, track, cohort of that year) and
      `Assignment` (a week without a row is leave) of each counting version they are in. A
      year still to come with no schedule is added with the PGY it implies (current PGY +
      year offset) and no weeks, so the engine assumes it built to the template; a past year
      with no schedule is not recorded training.
    * **Continuity clinic.** A rotation is a continuity-clinic rotation (`is_clinic`) when it
      is ambulatory and belongs to the Y phase: in an X+Y program the Y weeks are the clinic
      weeks (DOMAIN.md), and a Y-phase ambulatory rotation is what fills them.
    * **Graduation.** A resident graduates at the end of the year in which they reach the
      last PGY of their track: `residency_years` (3), or PGY-1 on a one-year track
      (`one_year_track_codes`), counted from the academic year the roster's current PGY
      levels refer to (`_roster_year`): the newest built year, moved on by as many years as
      most of its residents now stand above their PGY there (one after a roll-over); with
      nothing built, the year containing `as_of`. Graduated and withdrawn residents end with
      the last year they are scheduled in.
    * **Settings**: `program_compliance_settings`.
    """
    settings = program_compliance_settings(program=program)
    years = list(
        AcademicYear.objects.for_program(program)
        .order_by("start")
        .values("pk", "name", "start", "weeks")
    )
    chosen = _counting_versions(program)
    year_facts = tuple(
        YearFacts(
            name=y["name"],
            start=y["start"],
            weeks=y["weeks"],
            status=chosen[y["pk"]]["status"] if y["pk"] in chosen else "none",
        )
        for y in years
    )
    tracks = list(
        Track.objects.for_program(program).values(
            "pk", "code", "name", "ambulatory_min", "ambulatory_max"
        )
    )
    track_code = {t["pk"]: t["code"] for t in tracks}
    rotations, rotation_code = _rotation_facts(program)
    requirements, requirement_levels = _requirement_facts(program, track_code, rotation_code)
    residents = list(
        Resident.objects.for_program(program)
        .order_by("pgy", "name", "pk")
        .values("pk", "external_id", "name", "pgy", "track_id", "status", "cohort")
    )
    version_ids = {c["id"]: year_id for year_id, c in chosen.items()}
    rows = list(
        VersionResident.objects.filter(version_id__in=list(version_ids)).values_list(
            "version_id", "resident_id", "pgy", "track_id", "cohort"
        )
    )
    weeks_of: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for version_id, resident_id, week, rotation_id in Assignment.objects.filter(
        version_id__in=list(version_ids)
    ).values_list("version_id", "resident_id", "week", "rotation_id"):
        weeks_of[(version_id, resident_id)][week] = rotation_id

    levels_seen: dict[str, set[int]] = defaultdict(set)
    for r in residents:
        levels_seen[track_code[r["track_id"]]].add(r["pgy"])
    for _, _, pgy, track_id, _ in rows:
        levels_seen[track_code[track_id]].add(pgy)
    one_year = one_year_track_codes(
        tracks=[(t["code"], t["name"]) for t in tracks],
        requirement_levels=requirement_levels,
        levels_seen=levels_seen,
    )

    year_by_id = {y["pk"]: (index, y) for index, y in enumerate(years)}
    recorded: dict[int, list[tuple[int, ResidentYearFacts]]] = defaultdict(list)
    external = {r["pk"]: r["external_id"] for r in residents}
    for version_id, resident_id, pgy, track_id, cohort in rows:
        index, year = year_by_id[version_ids[version_id]]
        cells = weeks_of.get((version_id, resident_id), {})
        plan = tuple(
            rotation_code.get(cells[w]) if w in cells else None for w in range(year["weeks"])
        )
        recorded[resident_id].append(
            (
                index,
                ResidentYearFacts(
                    resident_id=external[resident_id],
                    academic_year=year["name"],
                    pgy=pgy,
                    track=track_code[track_id],
                    cohort=cohort,
                    weeks=plan,
                ),
            )
        )

    roster_year = _roster_year(years, chosen, residents, rows, version_ids, as_of)
    resident_facts = []
    for r in residents:
        mine = sorted(recorded.get(r["pk"], []), key=lambda pair: pair[0])
        track = track_code[r["track_id"]]
        in_training = r["status"] in IN_TRAINING
        if not mine and not in_training:
            continue  # graduated or withdrawn before any stored schedule: nothing to check
        last_pgy = 1 if track in one_year else settings.residency_years
        if in_training and roster_year is not None:
            graduation = roster_year + max(0, last_pgy - r["pgy"])
        elif mine:
            graduation = year_number(mine[-1][1].academic_year)
        else:
            graduation = None
        entries = dict(mine)
        if in_training and roster_year is not None:
            for index, year in enumerate(years):
                number = year_number(year["name"])
                if index in entries or year["pk"] in chosen or number is None:
                    continue
                pgy = r["pgy"] + (number - roster_year)
                ended = year["start"] + datetime.timedelta(weeks=year["weeks"]) <= as_of
                if ended or pgy < 1 or (graduation is not None and number > graduation):
                    continue
                entries[index] = ResidentYearFacts(
                    resident_id=r["external_id"],
                    academic_year=year["name"],
                    pgy=min(pgy, 7),
                    track=track,
                    cohort=r["cohort"],
                    weeks=(),
                )
        resident_facts.append(
            ResidentFacts(
                id=r["external_id"],
                name=r["name"],
                pgy=r["pgy"],
                track=track,
                status=r["status"],
                graduation_year=_year_name(graduation),
                years=tuple(entries[i] for i in sorted(entries)),
            )
        )
    program_facts = ProgramFacts(
        x_weeks=program.x_weeks,
        y_weeks=program.y_weeks,
        cohorts=program.cohorts,
        rotations=rotations,
        tracks={
            t["code"]: (float(t["ambulatory_min"]), float(t["ambulatory_max"])) for t in tracks
        },
        requirements=requirements,
        settings=settings,
        years=year_facts,
        name=program.name,
    )
    return program_facts, resident_facts


def _rotation_facts(program: Program) -> tuple[dict[str, RotationFacts], dict[int, str]]:
    """Rotations with their staffing (two queries); also rotation pk -> code."""
    staffing: dict[int, list[StaffingFacts]] = defaultdict(list)
    for rotation_id, levels, low, high in (
        StaffingRule.objects.filter(rotation__program=program)
        .order_by("rotation_id", "position")
        .values_list("rotation_id", "pgy_levels", "min_residents", "max_residents")
    ):
        levels = frozenset(int(level) for level in levels)
        staffing[rotation_id].append(StaffingFacts(levels, low, high))
    facts: dict[str, RotationFacts] = {}
    code_of: dict[int, str] = {}
    for r in Rotation.objects.for_program(program).values(
        "pk",
        "code",
        "name",
        "setting",
        "phase",
        "max_consecutive_weeks",
        "min_run_weeks",
        "intense",
        "experiences",
    ):
        code_of[r["pk"]] = r["code"]
        facts[r["code"]] = RotationFacts(
            code=r["code"],
            name=r["name"],
            setting=r["setting"],
            phase=r["phase"],
            staffing=tuple(staffing.get(r["pk"], ())),
            max_consecutive_weeks=r["max_consecutive_weeks"],
            min_run_weeks=r["min_run_weeks"],
            intense=r["intense"],
            experiences=frozenset(normalise_tag(tag) for tag in r["experiences"] or () if tag),
            is_clinic=xy.is_clinic(r["setting"], r["phase"]),
        )
    return facts, code_of


def _requirement_facts(
    program: Program, track_code: dict[int, str], rotation_code: dict[int, str]
) -> tuple[tuple[RequirementFacts, ...], dict[str, set[int]]]:
    """Requirements with their tracks and rotations (three queries); also, per track code,
    the PGY levels of the requirements that name it explicitly."""
    tracks_of: dict[int, set[str]] = defaultdict(set)
    for requirement_id, track_id in Requirement.tracks.through.objects.filter(
        requirement__program=program
    ).values_list("requirement_id", "track_id"):
        tracks_of[requirement_id].add(track_code[track_id])
    rotations_of: dict[int, set[str]] = defaultdict(set)
    for requirement_id, rotation_id in Requirement.rotations.through.objects.filter(
        requirement__program=program
    ).values_list("requirement_id", "rotation_id"):
        rotations_of[requirement_id].add(rotation_code[rotation_id])
    facts = []
    levels_by_track: dict[str, set[int]] = defaultdict(set)
    for q in (
        Requirement.objects.for_program(program)
        .order_by("position", "pk")
        .values("pk", "all_tracks", "pgy_levels", "min_weeks", "max_weeks")
    ):
        levels = frozenset(int(level) for level in q["pgy_levels"])
        tracks = None if q["all_tracks"] else frozenset(tracks_of.get(q["pk"], ()))
        for code in tracks or ():
            levels_by_track[code].update(levels)
        facts.append(
            RequirementFacts(
                tracks=tracks,
                pgy=levels,
                rotations=frozenset(rotations_of.get(q["pk"], ())),
                min_weeks=q["min_weeks"],
                max_weeks=q["max_weeks"],
            )
        )
    return tuple(facts), levels_by_track


def _roster_year(years, chosen, residents, rows, version_ids, as_of) -> int | None:
    """The first calendar year of the academic year the roster's PGY levels refer to.

    Schedules are built with the roster's PGY levels, and a roll-over promotes everyone
    before the new year starts; so if most residents in training who are in the newest built
    year's schedule now stand k PGY levels above their row there, the roster speaks of that
    year + k (k = 0 until a roll-over). With nothing built: the year containing `as_of`.
    """
    built = [(index, y) for index, y in enumerate(years) if y["pk"] in chosen]
    if built:
        _, newest = built[-1]
        newest_version = chosen[newest["pk"]]["id"]
        pgy_now = {r["pk"]: r["pgy"] for r in residents if r["status"] in IN_TRAINING}
        shifts = Counter(
            pgy_now[resident_id] - pgy
            for version_id, resident_id, pgy, _, _ in rows
            if version_id == newest_version and resident_id in pgy_now
        )
        number = year_number(newest["name"])
        if shifts and number is not None:
            (shift, _), *_ = sorted(shifts.items(), key=lambda item: (-item[1], abs(item[0])))
            return number + shift
    current = year_for_date(years, as_of)
    return year_number(current["name"]) if current else None


def _year_name(number: int | None) -> str | None:
    return None if number is None else f"{number}-{number + 1}"


def compliance_report(
    *,
    program: Program,
    year: str,
    as_of: datetime.date,
    facts: tuple[ProgramFacts, list[ResidentFacts]] | None = None,
) -> ComplianceReport:
    """Evaluate the academic year `year` as of `as_of`.

    The residents evaluated are those whose training includes `year` (in its stored schedule,
    or implied for a year not built yet): staffing needs all of them, and residency-wide
    rules are about them. Pass `facts` (from `compliance_facts`) to evaluate several years of
    one program without reading it again. Raises ValueError for an unknown year.
    """
    program_facts, residents = facts or compliance_facts(program=program, as_of=as_of)
    if program_facts.year(year) is None:
        raise ValueError(f"Academic year {year!r} is not one of the program's years")
    members = [r for r in residents if any(y.academic_year == year for y in r.years)]
    return evaluate(program_facts, members, year=year, as_of=as_of)
