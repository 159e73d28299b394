"""Writes for compliance: evaluating a schedule, storing the run, and telling the directors.

The Celery tasks in `compliance.tasks` are thin: `compliance_recompute` calls
`compliance_recompute_if_dirty` (coalesced edits), `compliance_nightly_sweep` calls
`compliance_sweep`. The rules themselves live in the pure `compliance.engine` engine.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from compliance.engine import LIMITS, ComplianceReport, ComplianceSettings
from compliance.engine import Finding as EngineFinding
from compliance.engine.rules.base import CRITICAL, WARNING
from compliance.facts import (
    COUNTING_STATUSES,
    compliance_facts,
    compliance_report,
    schedule_counting_version,
)
from compliance.models import ComplianceRun, Finding, ProgramLimits, figures_key
from compliance.wording import rule_title
from history.models import Event
from history.services import history_record
from programs.clock import program_today
from programs.models import Program, Resident, Role
from residency.mail import email_queue
from scheduling.models import Schedule, ScheduleVersion

logger = logging.getLogger(__name__)

DIGEST_MAX_LINES = 40
SETTLE_S = 1.0  # an "edit" recompute waits until the schedule has been quiet this long
DigestKey = tuple[str, int | None, str, str]  # rule id, resident pk, academic year, rotation


def compliance_mark_dirty(*, schedule: Schedule) -> None:
    """Mark the schedule's compliance stale; enqueue a recompute only if it was clean.

    Coalescing (ENGINEERING-NOTES): the conditional update flips the flag once, so fifty
    quick edits enqueue one task; an edit made while that task runs enqueues one more.
    """
    from compliance.tasks import compliance_recompute

    flipped = Schedule.objects.filter(pk=schedule.pk, compliance_dirty=False).update(
        compliance_dirty=True
    )
    if flipped:
        schedule_id = schedule.pk
        transaction.on_commit(lambda: compliance_recompute.delay(schedule_id, "edit"))


def compliance_run_create(
    *,
    schedule: Schedule,
    trigger: str,
    as_of: datetime.date | None = None,
    facts=None,
) -> ComplianceRun:
    """Evaluate `schedule`'s academic year as of `as_of` (today) and store the run.

    Stores the counts, the residents out of compliance (any critical or warning finding),
    the time taken, each resident's figures (`figures["residents"]["r<pk>"]`, with the
    track bands and limits in force beside them) and one `Finding` row per finding. New
    critical findings, compared with the schedule's previous run, are e-mailed to the
    program's managers in one digest once the transaction commits (`_digest`).
    `facts` (from `compliance_facts`) lets the sweep read a program once for all its years.
    """
    started = time.perf_counter()
    schedule = Schedule.objects.select_related("program", "academic_year").get(pk=schedule.pk)
    program = schedule.program
    as_of = as_of or program_today(program)
    facts = facts or compliance_facts(program=program, as_of=as_of)
    report = compliance_report(
        program=program, year=schedule.academic_year.name, as_of=as_of, facts=facts
    )
    pks = dict(Resident.objects.for_program(program).values_list("external_id", "pk"))
    with transaction.atomic():
        previous = (
            ComplianceRun.objects.filter(schedule=schedule).order_by("-created_at", "-pk").first()
        )
        run = ComplianceRun.objects.create(
            schedule=schedule,
            version=schedule_counting_version(schedule=schedule),
            trigger=trigger,
            critical_count=report.counts[CRITICAL],
            warning_count=report.counts[WARNING],
            info_count=report.counts["info"],
            residents_out_of_compliance=len(
                {
                    f.resident_id
                    for f in report.findings
                    if f.resident_id and f.severity in (CRITICAL, WARNING)
                }
            ),
            figures=_figures(report, pks, facts[0].tracks),
        )
        rows = [_finding_row(run, finding, pks) for finding in report.findings]
        Finding.objects.bulk_create(rows, batch_size=1000)
        run.duration_s = round(time.perf_counter() - started, 3)
        run.save(update_fields=["duration_s"])
        _digest(run=run, previous=previous, rows=rows)
    return run


def _figures(report: ComplianceReport, pks: dict[str, int], tracks) -> dict:
    residents = {}
    for resident in report.residents:
        pk = pks.get(resident.resident_id)
        if pk is not None:
            data = asdict(resident)
            data["years"] = [asdict(year) for year in resident.years]
            residents[figures_key(pk)] = data
    return {
        "as_of": report.as_of.isoformat(),
        "academic_year": report.year,
        "tracks": {code: list(band) for code, band in tracks.items()},
        "limits": _limits(report.settings),
        "residents": residents,
    }


def _limits(settings_in_force: ComplianceSettings) -> dict:
    values = {}
    for limit_id in LIMITS:
        value = settings_in_force.value(limit_id)
        values[limit_id] = list(value) if isinstance(value, tuple) else value
    return values


def _finding_row(run: ComplianceRun, finding: EngineFinding, pks: dict[str, int]) -> Finding:
    return Finding(
        run=run,
        severity=finding.severity,
        rule_id=finding.rule_id[:64],
        reference=finding.reference[:300],
        resident_id=pks.get(finding.resident_id) if finding.resident_id else None,
        rotation_code=(finding.rotation or "")[:32],
        academic_year=(finding.academic_year or "")[:32],
        weeks=list(finding.weeks),
        message=finding.message,
        figure=finding.figure,
        limit=finding.limit[:64],
    )


def _key(finding: Finding) -> DigestKey:
    return (finding.rule_id, finding.resident_id, finding.academic_year, finding.rotation_code)


def _digest(*, run: ComplianceRun, previous: ComplianceRun | None, rows: list[Finding]) -> None:
    """One e-mail to the program's managers listing the critical findings that are new since
    the previous run: those whose rule, resident, year and rotation no critical finding of
    the previous run had (a staffing gap that only moves week stays known). Nothing is sent
    when none are new."""
    seen: set[DigestKey] = set()
    if previous is not None:
        seen = {
            (rule, resident, year, rotation)
            for rule, resident, year, rotation in Finding.objects.filter(
                run=previous, severity=CRITICAL
            ).values_list("rule_id", "resident_id", "academic_year", "rotation_code")
        }
    fresh = [row for row in rows if row.severity == CRITICAL and _key(row) not in seen]
    if not fresh:
        return
    program = run.schedule.program
    recipients = sorted(
        set(
            User.objects.filter(
                roles__program=program, roles__kind__in=Role.MANAGING, is_active=True
            ).values_list("email", flat=True)
        )
    )
    if not recipients:
        return
    names = dict(
        Resident.objects.filter(pk__in={f.resident_id for f in fresh}).values_list("pk", "name")
    )
    year = run.schedule.academic_year.name
    count = len(fresh)
    subject = (
        f"[{program.name}] {count} new critical compliance finding{'s' if count != 1 else ''}"
        f" ({year})"
    )
    lines = []
    for finding in fresh[:DIGEST_MAX_LINES]:
        who = names.get(finding.resident_id, "Program") if finding.resident_id else "Program"
        lines.append(f"- {who} — {rule_title(finding.rule_id)}: {finding.message}")
    if count > DIGEST_MAX_LINES:
        lines.append(f"... and {count - DIGEST_MAX_LINES} more.")
    url = settings.SITE_URL.rstrip("/") + reverse("compliance:dashboard", args=[program.slug])
    body = (
        f"The compliance check of the {year} schedule of {program.name} "
        f"({run.get_trigger_display().lower()}) found {count} critical "
        f"finding{'s' if count != 1 else ''} that the previous check did not:\n\n"
        + "\n".join(lines)
        + f"\n\nThe dashboard has the details and every limit with its source:\n{url}?year={year}\n"
    )
    email_queue(subject=subject, body=body, to=recipients)


def compliance_recompute_if_dirty(*, schedule_id: int, trigger: str) -> ComplianceRun | None:
    """Recompute when the schedule is still marked dirty; None when another task claimed it
    (or when this one stepped aside for a burst of edits to settle).

    Coalescing (ENGINEERING-NOTES): the conditional update lets exactly one task clear the
    mark, so fifty quick edits give one run (two if an edit lands while it computes). With a
    real worker an "edit" task first waits for the edits to settle: while the schedule was
    edited less than `SETTLE_S` ago it queues itself again for the rest of that second and
    returns, and the edits meanwhile queue nothing (the mark is already set). A run that
    fails puts the mark back so that the retry, or the next edit, computes again.
    """
    if trigger == ComplianceRun.Trigger.EDIT:
        wait = _settle_wait(schedule_id)
        if wait > 0:
            from compliance.tasks import compliance_recompute

            compliance_recompute.apply_async((schedule_id, trigger), countdown=wait)
            return None
    claimed = Schedule.objects.filter(pk=schedule_id, compliance_dirty=True).update(
        compliance_dirty=False
    )
    if not claimed:
        return None
    try:
        return compliance_run_create(schedule=Schedule(pk=schedule_id), trigger=trigger)
    except Exception:
        Schedule.objects.filter(pk=schedule_id).update(compliance_dirty=True)
        raise


def _settle_wait(schedule_id: int) -> float:
    """Seconds until the dirty schedule's last edit is `SETTLE_S` old (0: go ahead now).

    Always 0 when tasks run in-process (eager: a countdown would not delay anything).
    """
    from compliance.tasks import compliance_recompute

    if compliance_recompute.app.conf.task_always_eager:
        return 0.0
    last_edit = (
        ScheduleVersion.objects.filter(schedule_id=schedule_id, schedule__compliance_dirty=True)
        .aggregate(last=Max("updated_at"))
        .get("last")
    )
    if last_edit is None:
        return 0.0
    quiet = (timezone.now() - last_edit).total_seconds()
    return round(SETTLE_S - quiet, 2) if 0 <= quiet < SETTLE_S else 0.0


def compliance_recompute_request(*, schedule: Schedule) -> None:
    """ "Recompute now": mark the schedule dirty and queue a manual run after commit.

    If a recompute is already queued the flag is set anyway and this one's task finds
    nothing to claim, so two clicks still give one run.
    """
    from compliance.tasks import compliance_recompute

    Schedule.objects.filter(pk=schedule.pk).update(compliance_dirty=True)
    schedule_id = schedule.pk
    transaction.on_commit(
        lambda: compliance_recompute.delay(schedule_id, ComplianceRun.Trigger.MANUAL)
    )


def compliance_sweep(*, as_of: datetime.date | None = None) -> int:
    """The nightly run: evaluate every schedule that has a counting version (published or
    draft) of every program, reading each program once. A schedule that fails is logged and
    skipped so that one bad program does not stop the others. Returns the runs stored."""
    by_program: dict[int, list[Schedule]] = defaultdict(list)
    schedules = (
        Schedule.objects.filter(versions__status__in=COUNTING_STATUSES)
        .select_related("program", "academic_year")
        .distinct()
        .order_by("program_id", "academic_year__start")
    )
    for schedule in schedules:
        by_program[schedule.program_id].append(schedule)
    stored = 0
    for group in by_program.values():
        program = group[0].program
        try:
            day = as_of or program_today(program)
            facts = compliance_facts(program=program, as_of=day)
        except Exception:
            logger.exception("Compliance facts for program %s failed", program.slug)
            continue
        for schedule in group:
            try:
                compliance_run_create(
                    schedule=schedule,
                    trigger=ComplianceRun.Trigger.NIGHTLY,
                    as_of=day,
                    facts=facts,
                )
                stored += 1
            except Exception:
                logger.exception("Compliance run for schedule %s failed", schedule.pk)
    return stored


@transaction.atomic
def compliance_settings_update(*, program: Program, overrides: dict, by=None) -> Program:
    """Save the program's limit overrides (only values that differ from the defaults) and
    mark every schedule of the program dirty so that each is evaluated again.

    Raises ValidationError naming the setting when a value is not acceptable; nothing is
    saved then.
    """
    try:
        in_force = ComplianceSettings.from_overrides(overrides)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    values = _limits(in_force)
    cleaned = {key: values[key] for key in overrides if _differs(key, values[key])}
    program = Program.objects.select_for_update().get(pk=program.pk)
    stored = ProgramLimits.objects.filter(program=program).values_list("overrides", flat=True)
    before = next(iter(stored), None) or {}
    ProgramLimits.objects.update_or_create(
        program=program, defaults={"overrides": cleaned, "updated_by": by}
    )
    changed = [
        key for key in sorted(set(before) | set(cleaned)) if before.get(key) != cleaned.get(key)
    ]
    if changed:
        history_record(
            program=program,
            kind=Event.Kind.SETUP_CHANGED,
            subject="Work limits",
            before={key: before.get(key, "default") for key in changed},
            after={key: cleaned.get(key, "default") for key in changed},
            by=by,
        )
    built = Schedule.objects.filter(
        program=program, versions__status__in=COUNTING_STATUSES
    ).distinct()
    for schedule in built:
        compliance_mark_dirty(schedule=schedule)
    logger.info("Compliance limits of %s changed by %s: %s", program.slug, by, cleaned)
    return program


def _differs(key: str, value) -> bool:
    default = LIMITS[key].default
    if isinstance(default, tuple):
        return tuple(value) != default
    return value != default
