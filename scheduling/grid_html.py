"""Renders the schedule grid's body as HTML in Python.

400 residents x 52 weeks is 20,800 cells; building them with `format_html` here is several
times faster than a template loop, which keeps the grid under a second of server time.
Every value written into an attribute is escaped, and a colour is written only as `#rrggbb`
(anything else stored falls back to grey), so a stored value can never add an attribute or
restyle the page through `style`.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from programs.colors import text_color
from programs.validators import hex_color
from scheduling.selectors import Grid
from scheduling.xy import cohort_label


def cell_style(color: str | None) -> str:
    """The `style` attribute's value for a cell of a rotation coloured `color`: the colour as
    `background-color` (so the rule-break hatching can lie over it) and the text colour with
    the higher contrast (WCAG AA, programs/colors.py)."""
    background = hex_color(color)
    return f"background-color:{background};color:{text_color(background)}"


def grid_rows_html(
    grid: Grid,
    *,
    flagged: set[tuple[int, int]],
    editable: bool,
    resident_url: str,
    wishes_url: str = "",
) -> SafeString:
    """The `<tr>` rows of the grid; `flagged` holds (resident pk, week) cells that break a rule.

    A cell's id (`c-<resident>-<week>`), classes (`y-week`, `pinned`, `leave`) and text are
    what the grid's script reads for tooltips and the keyboard; an `editable` grid's cells
    also carry them as data attributes for the edit box. A published grid stays lean: 20,800
    cells for 400 residents.

    `wishes_url` (for resident 0, like `resident_url`) adds a link to each resident's wishes
    and the "why not?" answers in this version."""
    styles = {code: escape(cell_style(r.color)) for code, r in grid.rotations.items()}
    today = grid.current_week
    # `resident_url` is the detail URL of resident 0; each row puts its own pk in its place.
    url_base = resident_url.rsplit("/0/", 1)[0] if resident_url else ""
    wishes_base = wishes_url.rsplit("/0/", 1)[0] if wishes_url else ""
    out: list[str] = []
    for row in grid.rows:
        resident = row.resident
        url = escape(f"{url_base}/{resident.pk}/") if url_base else ""
        name = escape(resident.name)
        label = f'<a href="{url}">{name}</a>' if url else name
        if wishes_base:
            label += (
                f' <a class="wish-link" href="{escape(f"{wishes_base}/{resident.pk}/")}"'
                f' title="Wishes of {name}: why not granted?" aria-label="Wishes of {name}">'
                '<i class="bi bi-question-circle"></i></a>'
            )
        out.append(
            f'<tr data-pgy="{row.pgy}"><th class="name" scope="row">{label} '
            f'<span class="text-muted">PGY-{row.pgy} · {escape(row.track_code)} · '
            f"{cohort_label(row.cohort)}</span></th>"
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
                style = f' style="{styles.get(code) or cell_style(None)}"'
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
    return format_html(
        '<td id="c-{}-{}" class="{}" style="{}" data-r="{}" data-w="{}" '
        'data-code="{}" data-y="{}" data-pin="{}">{}</td>',
        resident_pk,
        week,
        " ".join(classes),
        cell_style(color),
        resident_pk,
        week,
        code,
        int(is_y),
        int(pinned),
        code,
    )
