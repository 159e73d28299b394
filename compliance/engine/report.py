"""Render a ComplianceReport as JSON-ready data or as plain text for a terminal."""

from __future__ import annotations

from dataclasses import asdict

from compliance.engine.engine import ComplianceReport, Figures, ResidentFigures
from compliance.engine.limits import LIMITS

FORMAT = "residency-compliance/1"


def report_as_dict(report: ComplianceReport) -> dict:
    """Plain dicts, lists, strings and numbers only: safe for ``json.dumps``."""
    return {
        "format": FORMAT,
        "program": report.program,
        "as_of": report.as_of.isoformat(),
        "academic_year": report.year,
        "counts": dict(report.counts),
        "findings": [
            {**asdict(finding), "weeks": list(finding.weeks)} for finding in report.findings
        ],
        "residents": [_resident_dict(resident) for resident in report.residents],
        "limits": [
            {
                "id": limit.id,
                "value": _jsonable(report.settings.value(limit.id)),
                "default": _jsonable(limit.default),
                "unit": limit.unit,
                "description": limit.description,
                "source": limit.source,
                "verify": limit.verify,
            }
            for limit in LIMITS.values()
        ],
    }


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _resident_dict(resident: ResidentFigures) -> dict:
    data = asdict(resident)
    data["years"] = [asdict(year) for year in resident.years]
    return data


def report_as_text(report: ComplianceReport) -> str:
    """A plain-text report: summary, findings table, then per-resident figures."""
    names = {r.resident_id: r.name for r in report.residents}
    scope = report.year or "all academic years"
    counts = report.counts
    lines = [
        f"Compliance report{' — ' + report.program if report.program else ''}",
        f"As of {report.as_of.isoformat()}, {scope}",
        f"{counts['critical']} critical, {counts['warning']} warnings, {counts['info']} info",
        "",
    ]
    if report.findings:
        rows = [
            (
                f.severity.upper(),
                f.rule_id,
                _who(f.resident_id, names),
                f.academic_year or "",
                f.rotation or "",
                f.message,
            )
            for f in report.findings
        ]
        lines += _table(("SEVERITY", "RULE", "RESIDENT", "YEAR", "ROTATION", "FINDING"), rows)
    else:
        lines.append("No findings.")
    if report.residents:
        lines += ["", "Residency figures (built years; projected to graduation)"]
        rows = [_figure_row(resident) for resident in report.residents]
        header = ("RESIDENT", "TRACK", "PGY", "AMB", "INP", "CC MO", "CLINIC", "PROJ CLINIC")
        lines += _table(header, rows)
    return "\n".join(lines) + "\n"


def _who(resident_id: str | None, names: dict[str, str]) -> str:
    if resident_id is None:
        return "(program)"
    name = names.get(resident_id)
    return f"{resident_id} {name}" if name else resident_id


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _figure_row(resident: ResidentFigures) -> tuple[str, ...]:
    figures: Figures = resident.cumulative
    projected = resident.projected_clinic_sessions
    return (
        f"{resident.resident_id} {resident.name}",
        resident.track,
        str(resident.pgy),
        _share(figures.ambulatory_share),
        _share(figures.inpatient_share),
        f"{figures.critical_care_months:g}",
        f"{figures.clinic_sessions:g}",
        "—" if projected is None else f"{projected:g}",
    )


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns; the last column is not padded so long messages stay readable."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        return "  ".join([*cells, row[-1]]).rstrip()

    return [line(header), line(tuple("-" * len(h) for h in header)), *map(line, rows)]
