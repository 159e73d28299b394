"""Schedule exports: residency-schedule/1 JSON, CSV, Excel and iCalendar.

The same functions serve the CLI (`export_schedule`) and the grid page's downloads.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from programs.models import Rotation
from programs.validators import is_hex_color
from residency.spreadsheets import csv_bytes, sheet_title, xlsx_append
from scheduling.models import ScheduleVersion, VersionResident
from scheduling.selectors import version_export, version_rows

FORMATS = ("json", "csv", "xlsx", "ics")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
}


@dataclass(frozen=True)
class RotationRun:
    """Consecutive weeks of one resident on one rotation: one calendar event."""

    resident_id: str
    rotation: str
    first_week: int
    last_week: int
    start: datetime.date  # Monday of the first week
    end: datetime.date  # the day after the last week (exclusive, as iCalendar wants)
    # For feeds: how often the run changed since it was first published (SEQUENCE), and
    # when its current form was published (DTSTAMP); exports of one version leave them out.
    sequence: int = 0
    stamp: datetime.datetime | None = None


#: How often calendar clients should read a feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH = datetime.timedelta(hours=1)


def rotation_runs(
    rows: dict[str, list[str | None]], year_start: datetime.date
) -> list[RotationRun]:
    """Split each resident's weeks into runs of the same rotation (leave weeks break runs)."""
    runs = []
    for rid in sorted(rows):
        row = rows[rid]
        start = 0
        for week in range(1, len(row) + 1):
            if week == len(row) or row[week] != row[start]:
                if row[start] is not None:
                    runs.append(
                        RotationRun(
                            resident_id=rid,
                            rotation=row[start],
                            first_week=start,
                            last_week=week - 1,
                            start=year_start + datetime.timedelta(weeks=start),
                            end=year_start + datetime.timedelta(weeks=week),
                        )
                    )
                start = week
    return runs


#: CSS3 colour names (RFC 7986 COLOR takes a name, not a hex value) and their RGB values:
#: a feed's colour is the nearest of them, with the exact hex in X-APPLE-CALENDAR-COLOR.
CSS_COLORS = {
    "crimson": (220, 20, 60),
    "darkorange": (255, 140, 0),
    "goldenrod": (218, 165, 32),
    "seagreen": (46, 139, 87),
    "teal": (0, 128, 128),
    "steelblue": (70, 130, 180),
    "royalblue": (65, 105, 225),
    "slateblue": (106, 90, 205),
    "purple": (128, 0, 128),
    "mediumvioletred": (199, 21, 133),
    "sienna": (160, 82, 45),
    "dimgray": (105, 105, 105),
}
#: The colour of a feed with none of its own (Bootstrap's primary blue).
DEFAULT_COLOR = "#0d6efd"


def css_color_name(color: str) -> str:
    """The CSS3 colour name nearest to `#rrggbb` (by RGB distance)."""
    if not is_hex_color(color):
        color = DEFAULT_COLOR
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return min(
        CSS_COLORS,
        key=lambda name: sum((a - b) ** 2 for a, b in zip(CSS_COLORS[name], rgb, strict=True)),
    )


def feed_calendar(*, name: str, color: str = DEFAULT_COLOR) -> Calendar:
    """An empty calendar with what every feed says about itself: its name (RFC 7986 NAME and
    X-WR-CALNAME), its colour (COLOR, X-APPLE-CALENDAR-COLOR) and how often to read it again
    (REFRESH-INTERVAL, X-PUBLISHED-TTL)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Residency//Schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if not is_hex_color(color):
        color = DEFAULT_COLOR
    calendar.add("color", css_color_name(color))
    calendar.add("x-apple-calendar-color", color.upper())
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def runs_calendar(
    runs: list[RotationRun],
    *,
    names: dict[str, str],
    rotation_names: dict[str, str],
    uid_prefix: str,
    calendar_name: str,
    extra_events: list[Event] = (),
    stamp: datetime.datetime | None = None,
    color: str = DEFAULT_COLOR,
) -> bytes:
    """An iCalendar document with one all-day event per rotation run."""
    calendar = feed_calendar(name=calendar_name, color=color)
    # Without a run's own publication time, the newest one stands in: the same schedule
    # then always gives the same document.
    latest = max((run.stamp for run in runs if run.stamp), default=None)
    stamp = stamp or latest or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    for run in runs:
        event = Event()
        label = rotation_names.get(run.rotation, run.rotation)
        # The UID names where a run starts and what it is: a run that grows or shrinks keeps
        # it (and its SEQUENCE goes up); republishing an unchanged run changes nothing.
        event.add("uid", f"{uid_prefix}-{run.resident_id}-{run.first_week}-{run.rotation}")
        event.add("dtstamp", (run.stamp or stamp).astimezone(datetime.UTC).replace(microsecond=0))
        event.add("sequence", run.sequence)
        event.add("dtstart", run.start)
        event.add("dtend", run.end)
        weeks = run.last_week - run.first_week + 1
        event.add("summary", f"{label} ({run.rotation})")
        event.add(
            "description",
            f"{names.get(run.resident_id, run.resident_id)}: {label}, {weeks} week(s).",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for event in extra_events:
        calendar.add_component(event)
    return calendar.to_ical()


def _names(version: ScheduleVersion) -> dict[str, str]:
    return dict(
        VersionResident.objects.filter(version=version).values_list(
            "resident__external_id", "resident__name"
        )
    )


def export_version(version: ScheduleVersion, fmt: str) -> bytes:
    """The version in `fmt` (one of FORMATS) as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    schedule = version.schedule
    year = schedule.academic_year
    if fmt == "json":
        document = version_export(version=version)
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    rows = version_rows(version=version)
    names = _names(version)
    weeks = [year.week_start(w) for w in range(year.weeks)]
    if fmt == "ics":
        rotation_names = dict(
            Rotation.objects.filter(program=schedule.program).values_list("code", "name")
        )
        return runs_calendar(
            rotation_runs(rows, year.start),
            names=names,
            rotation_names=rotation_names,
            uid_prefix=f"{schedule.program.slug}-{year.name}-v{version.number}",
            calendar_name=f"{schedule.program.name} {year.name}",
            stamp=version.published_at or version.updated_at,
        )
    header = ["resident", "name", *[w.isoformat() for w in weeks]]
    table = [[rid, names.get(rid, ""), *[(c or "") for c in rows[rid]]] for rid in sorted(rows)]
    if fmt == "csv":
        return csv_bytes([header, *table])
    return _xlsx(version, header, table)


def _xlsx(version: ScheduleVersion, header: list[str], table: list[list[str]]) -> bytes:
    """One sheet named after the academic year; cells written through the safe helpers."""
    colors = dict(
        Rotation.objects.filter(program=version.schedule.program).values_list("code", "color")
    )
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(version.schedule.academic_year.name)
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=90 if cell.column > 2 else 0)
    fills = {  # a colour that is not #rrggbb (an old row) leaves the cell unfilled
        code: PatternFill("solid", fgColor=color.lstrip("#"))
        for code, color in colors.items()
        if is_hex_color(color)
    }
    for line in table:
        xlsx_append(sheet, line)
        for code, cell in zip(line[2:], sheet[sheet.max_row][2:], strict=True):
            fill = fills.get(code)
            if fill is not None:
                cell.fill = fill
                cell.font = Font(color="FFFFFF", bold=True)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 24
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 7
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
