"""Renders the schedule grid's body as HTML in Python.

400 residents x 52 weeks is 20,800 cells; building them with `format_html` here is several
times faster than a template loop, which keeps the grid under a second of server time.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from scheduling.selectors import Grid


def _text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on `hex_color`."""
    value = hex_color.lstrip("#")
    try:
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#fff"
    return "#212529" if (0.299 * r + 0.587 * g + 0.114 * b) > 160 else "#fff"


def grid_rows_html(
    grid: Grid, *, flagged: set[tuple[int, int]], editable: bool, resident_url: str
) -> SafeString:
    """The `<tr>` rows of the grid; `flagged` holds (resident pk, week) cells that break a rule."""
    colors = {code: (r.color, _text_color(r.color)) for code, r in grid.rotations.items()}
    today = grid.current_week
    # `resident_url` is the detail URL of resident 0; each row puts its own pk in its place.
    url_base = resident_url.rsplit("/0/", 1)[0] if resident_url else ""
    out: list[str] = []
    for row in grid.rows:
        resident = row.resident
        url = f"{url_base}/{resident.pk}/" if url_base else ""
        name = escape(resident.name)
        label = f'<a href="{url}">{name}</a>' if url else name
        out.append(
            f'<tr data-pgy="{row.pgy}"><th class="name" scope="row">{label} '
            f'<span class="text-muted">PGY-{row.pgy} · {escape(row.track_code)} · '
            f"c{row.cohort}</span></th>"
        )
        for week, (code, pinned, is_y) in enumerate(row.cells):
            classes = ["cell"]
            if is_y:
                classes.append("y-week")
            if pinned:
                classes.append("pinned")
            if (resident.pk, week) in flagged:
                classes.append("violation")
            if week == today:
                classes.append("today")
            if code is None:
                classes.append("leave")
                style = ""
                text = "—"
            else:
                background, foreground = colors.get(code, ("#6c757d", "#fff"))
                style = f' style="background:{background};color:{foreground}"'
                text = escape(code)
            data = (
                f' data-r="{resident.pk}" data-w="{week}" data-code="{escape(code or "")}"'
                f' data-y="{int(is_y)}" data-pin="{int(pinned)}"'
                if editable
                else ""
            )
            out.append(
                f'<td id="c-{resident.pk}-{week}" class="{" ".join(classes)}"{style}{data}>'
                f"{text}</td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))


def cell_html(
    *, resident_pk: int, week: int, code: str | None, color: str | None, pinned: bool, is_y: bool
) -> SafeString:
    """One grid cell, for the htmx answer to an edit."""
    classes = ["cell"] + (["y-week"] if is_y else []) + (["pinned"] if pinned else [])
    if code is None:
        classes.append("leave")
        return format_html(
            '<td id="c-{}-{}" class="{}" data-r="{}" data-w="{}" data-code="" data-y="{}" '
            'data-pin="0">—</td>',
            resident_pk,
            week,
            " ".join(classes),
            resident_pk,
            week,
            int(is_y),
        )
    color = color or "#6c757d"
    return format_html(
        '<td id="c-{}-{}" class="{}" style="background:{};color:{}" data-r="{}" data-w="{}" '
        'data-code="{}" data-y="{}" data-pin="{}">{}</td>',
        resident_pk,
        week,
        " ".join(classes),
        color,
        _text_color(color),
        resident_pk,
        week,
        code,
        int(is_y),
        int(pinned),
        code,
    )
