"""Fairness per class (track x PGY) of a schedule version: nights, critical care, holiday
weeks and wishes granted, this year and summed over the program's earlier published years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from programs.bundle.exporter import bundle_export
from programs.models import Resident
from scheduling.models import Assignment, ScheduleVersion, VersionResident
from scheduling.solver.from_bundle import problem_from_bundle
from scheduling.solver.problem import Problem


@dataclass
class FairnessClass:
    """One class (track x PGY) of a version: per measure, each member's figure this year
    and summed over the program's built years up to this one (``cumulative``)."""

    track: str
    pgy: int
    members: list[str]  # resident names, in the order of the figures
    this_year: dict[str, list[int | None]]
    cumulative: dict[str, list[int | None]]
    years: list[str]  # the academic years the cumulative figures cover

    @staticmethod
    def _spread(values) -> tuple[int, int] | None:
        seen = [v for v in values if v is not None]
        return (min(seen), max(seen)) if seen else None

    def spread(self, cumulative: bool = False) -> dict[str, tuple[int, int] | None]:
        figures = self.cumulative if cumulative else self.this_year
        return {name: self._spread(values) for name, values in figures.items()}


def version_fairness(*, version: ScheduleVersion) -> list[FairnessClass]:
    """Fairness per class (track x PGY, as stored with ``version``): nights, critical care,
    holiday weeks worked and wishes granted (%) per member, in this version and summed with
    the published versions of the program's earlier academic years.

    A fixed number of queries whatever the number of residents or years: the program's
    bundle (one export serves every year), the version's roster, the earlier years'
    published versions, and all their cohorts and cells at once.
    """
    from scheduling.solver.report import MEASURES, resident_figures

    schedule = version.schedule
    this_year = schedule.academic_year
    bundle = bundle_export(program=schedule.program, statuses=tuple(Resident.Status.values))
    roster = list(
        VersionResident.objects.filter(version=version)
        .order_by("track__code", "pgy", "resident__name")
        .values_list("resident__external_id", "resident__name", "pgy", "track__code")
    )
    earlier = {
        v.pk: v.schedule.academic_year.name
        for v in ScheduleVersion.objects.filter(
            schedule__program_id=schedule.program_id,
            status=ScheduleVersion.Status.PUBLISHED,
            schedule__academic_year__start__lt=this_year.start,
        ).select_related("schedule__academic_year")
    }
    rows: dict[int, dict[str, list[str | None]]] = defaultdict(dict)
    weeks: dict[int, int] = {}
    for version_id, rid, week, code in Assignment.objects.filter(
        version_id__in=[version.pk, *earlier]
    ).values_list("version_id", "resident__external_id", "week", "rotation__code"):
        row = rows[version_id].setdefault(rid, [])
        row.extend([None] * (week + 1 - len(row)))
        row[week] = code
        weeks[version_id] = max(weeks.get(version_id, 0), week + 1)
    cohorts: dict[int, dict[str, int]] = defaultdict(dict)
    for version_id, rid, cohort in VersionResident.objects.filter(
        version_id__in=[version.pk, *earlier]
    ).values_list("version_id", "resident__external_id", "cohort"):
        cohorts[version_id][rid] = cohort
    stored = {rid: (pgy, track) for rid, _, pgy, track in roster}

    def year_problem(name: str, version_id: int, **stored_as) -> Problem:
        """The year's rules for the residents of that year's version, with its cohorts."""
        problem = problem_from_bundle(bundle, name)
        mine = cohorts[version_id]
        return replace(
            problem,
            residents=tuple(
                replace(r, cohort=mine[r.id], **{k: v[r.id] for k, v in stored_as.items()})
                for r in problem.residents
                if r.id in mine and r.id in stored
            ),
        )

    problem = year_problem(
        this_year.name,
        version.pk,
        pgy={rid: v[0] for rid, v in stored.items()},
        track={rid: v[1] for rid, v in stored.items()},
    )
    now = resident_figures(problem, _padded(rows[version.pk], this_year.weeks))
    total = {rid: dict(f) for rid, f in now.items()}
    years = [this_year.name]
    for version_id, name in sorted(earlier.items(), key=lambda item: item[1]):
        if not rows.get(version_id):
            continue
        past = year_problem(name, version_id)
        figures = resident_figures(past, _padded(rows[version_id], past.weeks))
        years.insert(-1, name)
        for rid, f in figures.items():
            if rid in total:
                for key, value in f.items():
                    total[rid][key] += value
    classes: dict[tuple[str, int], FairnessClass] = {}
    for rid, name, pgy, track in roster:
        if rid not in now:
            continue
        group = classes.get((track, pgy))
        if group is None:
            group = classes[(track, pgy)] = FairnessClass(
                track, pgy, [], {m: [] for m in MEASURES}, {m: [] for m in MEASURES}, years
            )
        group.members.append(name)
        for figures, out in ((now[rid], group.this_year), (total[rid], group.cumulative)):
            for measure in MEASURES[:3]:
                out[measure].append(figures[measure])
            share = None
            if figures["wishes"]:
                share = round(100 * figures["wishes granted"] / figures["wishes"])
            out["wishes granted"].append(share)
    return list(classes.values())


def _padded(rows: dict[str, list[str | None]], weeks: int) -> dict[str, list[str | None]]:
    return {rid: row + [None] * (weeks - len(row)) for rid, row in rows.items()}
