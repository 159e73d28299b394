"""Reads for the compliance pages: what the Celery jobs stored (`ComplianceRun`, `Finding`).

Each selector runs a fixed number of queries whatever the roster's size.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields.json import KeyTransform

from compliance.engine import ComplianceSettings
from compliance.models import ComplianceRun, Finding, ProgramLimits, figures_key
from programs.models import AcademicYear, Program, Resident
from scheduling.models import Schedule, VersionResident

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


def program_limit_overrides(*, program: Program) -> dict:
    """The program's stored overrides of the limits' defaults (``{}`` when it has none)."""
    row = ProgramLimits.objects.filter(program=program).values_list("overrides", flat=True)
    return dict(row.first() or {})


def program_compliance_settings(*, program: Program) -> ComplianceSettings:
    """The limits in force: the defaults of `limits.LIMITS` updated with the program's
    overrides (`ProgramLimits`). Raises ValueError naming a bad stored override."""
    return ComplianceSettings.from_overrides(program_limit_overrides(program=program))


def compliance_years(*, program: Program) -> list[AcademicYear]:
    """The program's academic years with their schedules (one query)."""
    return list(
        AcademicYear.objects.for_program(program).select_related("schedule").order_by("start")
    )


def year_schedule(year: AcademicYear) -> Schedule | None:
    try:
        return year.schedule
    except Schedule.DoesNotExist:
        return None


def run_latest(*, schedule: Schedule) -> ComplianceRun | None:
    return (
        ComplianceRun.objects.filter(schedule=schedule)
        .select_related("version")
        .order_by("-created_at", "-pk")
        .first()
    )


def run_trend(*, schedule: Schedule, limit: int = 60) -> list[dict]:
    """The schedule's last `limit` runs, oldest first, without their figures (one query)."""
    rows = (
        ComplianceRun.objects.filter(schedule=schedule)
        .order_by("-created_at", "-pk")
        .values("pk", "created_at", "trigger", "critical_count", "warning_count", "info_count")
    )
    return list(reversed(rows[:limit]))


def run_findings(
    *,
    run: ComplianceRun,
    severity: str | None = None,
    rule: str | None = None,
    pgy: int | None = None,
    track: str | None = None,
) -> QuerySet[Finding]:
    """The run's findings, most serious first, each with the resident's PGY and track in the
    run's year (`year_pgy`, `year_track`: from the run's version, else the current ones)."""
    findings = Finding.objects.filter(run=run).select_related("resident")
    if run.version_id:
        rows = VersionResident.objects.filter(
            version_id=run.version_id, resident=OuterRef("resident")
        )
        findings = findings.annotate(
            year_pgy=Subquery(rows.values("pgy")[:1]),
            year_track=Subquery(rows.values("track__code")[:1]),
        )
    else:
        findings = findings.annotate(
            year_pgy=Subquery(Resident.objects.filter(pk=OuterRef("resident")).values("pgy")[:1]),
            year_track=Subquery(
                Resident.objects.filter(pk=OuterRef("resident")).values("track__code")[:1]
            ),
        )
    if severity:
        findings = findings.filter(severity=severity)
    if rule:
        findings = findings.filter(rule_id=rule)
    if pgy:
        findings = findings.filter(year_pgy=pgy)
    if track:
        findings = findings.filter(year_track=track)
    rank = Case(
        *(When(severity=severity, then=Value(order)) for severity, order in SEVERITY_RANK.items()),
        default=Value(9),
    )
    return findings.annotate(severity_rank=rank).order_by(
        "severity_rank", "rule_id", "resident__name", "academic_year", "pk"
    )


def run_rule_ids(*, run: ComplianceRun) -> list[str]:
    return list(
        Finding.objects.filter(run=run)
        .order_by("rule_id")
        .values_list("rule_id", flat=True)
        .distinct()
    )


def run_rule_counts(*, run: ComplianceRun, limit: int = 12) -> list[dict]:
    """Critical and warning findings per rule, the most critical rules first (one query)."""
    return list(
        Finding.objects.filter(run=run, severity__in=["critical", "warning"])
        .values("rule_id")
        .annotate(
            critical=Count("pk", filter=Q(severity="critical")),
            warning=Count("pk", filter=Q(severity="warning")),
        )
        .order_by("-critical", "-warning", "rule_id")[:limit]
    )


def run_worst_residents(*, run: ComplianceRun, limit: int | None = 12) -> list[dict]:
    """Residents with critical or warning findings (the first `limit`, or all when None),
    most critical first, then most warnings,
    with their ambulatory share against their track's band from the run's figures."""
    rows = (
        Finding.objects.filter(
            run=run, resident__isnull=False, severity__in=["critical", "warning"]
        )
        .values("resident_id", "resident__name", "resident__pgy")
        .annotate(
            critical=Count("pk", filter=Q(severity="critical")),
            warning=Count("pk", filter=Q(severity="warning")),
        )
        .order_by("-critical", "-warning", "resident__name")[:limit]
    )
    figures = run.figures or {}
    bands = figures.get("tracks", {})
    people = figures.get("residents", {})
    worst = []
    for row in rows:
        mine = people.get(figures_key(row["resident_id"]), {})
        band = bands.get(mine.get("track"))
        cumulative = mine.get("cumulative") or {}
        worst.append(
            {
                "pk": row["resident_id"],
                "name": row["resident__name"],
                "pgy": mine.get("pgy", row["resident__pgy"]),
                "track": mine.get("track", ""),
                "critical": row["critical"],
                "warning": row["warning"],
                "share": cumulative.get("ambulatory_share"),
                "projected_share": mine.get("projected_ambulatory_share"),
                "band": band,
                "share_state": share_state(cumulative.get("ambulatory_share"), band),
            }
        )
    return worst


def share_state(share: float | None, band: Sequence[float] | None) -> str:
    """ "below", "within" or "above" the band; "" when either is unknown."""
    if share is None or not band:
        return ""
    low, high = band
    if share < low - 1e-9:
        return "below"
    if share > high + 1e-9:
        return "above"
    return "within"


def resident_stored_compliance(*, resident: Resident) -> dict:
    """The resident's figures and findings from the latest run of each of the program's
    schedules (three queries): figures from the newest run that has them, findings from all
    of those runs, most serious first."""
    latest = (
        ComplianceRun.objects.filter(schedule=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    run_ids = [
        pk
        for pk in Schedule.objects.filter(program_id=resident.program_id)
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
        if pk is not None
    ]
    key = figures_key(resident.pk)
    stored = (
        ComplianceRun.objects.filter(pk__in=run_ids, figures__residents__has_key=key)
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "created_at",
            "schedule__academic_year__name",
            mine=KeyTransform(key, KeyTransform("residents", "figures")),
            tracks=KeyTransform("tracks", "figures"),
            limits=KeyTransform("limits", "figures"),
            as_of=KeyTransform("as_of", "figures"),
        )
        .first()
    )
    # Year findings come from their own year's run; residency-wide ones (no year) from the
    # run the figures come from, so that two schedules' runs do not say the same thing twice.
    wide_from = stored["pk"] if stored else None
    findings = sorted(
        Finding.objects.filter(run_id__in=run_ids, resident=resident).filter(
            ~Q(academic_year="") | Q(run_id=wide_from)
        ),
        key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.academic_year, f.rule_id, f.pk),
    )
    return {"run": stored, "findings": findings}
