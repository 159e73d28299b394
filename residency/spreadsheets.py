"""The one way this project writes CSV and XLSX: cells that cannot turn into formulas.

Every spreadsheet the app produces goes through these helpers, so a resident named
`=HYPERLINK(...)` (from a roster import, an old row, a raw fix) is shown as text, never run.
OWASP's advice for CSV/XLSX injection: a cell that begins with `=`, `+`, `-`, `@`, tab or CR
gets a leading single quote. XLSX also refuses most control characters and some sheet titles
(openpyxl raises, which was a 500); those are cleaned here rather than trusted to the input.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

#: What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE call).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
#: Characters Excel refuses in a sheet title; a title has 1 to 31 characters.
_TITLE_FORBIDDEN = re.compile(r"[\\/?*:\[\]]")
TITLE_MAX = 31


def safe_cell(value: Any) -> Any:
    """`value`, with a leading `'` when it is text a spreadsheet would take for a formula.

    Numbers, dates and None are returned as they are: only text can smuggle a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def safe_xlsx_cell(value: Any) -> Any:
    """`safe_cell(value)` without the control characters an XLSX file cannot hold.

    The characters are removed before the check, so `"\\x07=1+1"` still gets its quote.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV document of `rows` (the first one usually the header), every cell safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def xlsx_append(sheet: Worksheet, row: Iterable[Any]) -> None:
    """Appends `row` to `sheet`, every cell safe."""
    sheet.append([safe_xlsx_cell(value) for value in row])


def sheet_title(name: str, *, taken: Iterable[str] = ()) -> str:
    """A sheet title Excel accepts for `name`, different from those `taken` (case-insensitive).

    Forbidden characters become `-`, control characters go, the result is cut to 31
    characters (keeping room for a " (2)" suffix when needed); an empty name becomes "Sheet".
    """
    base = ILLEGAL_CHARACTERS_RE.sub("", _TITLE_FORBIDDEN.sub("-", name or "")).strip()
    base = base.strip("'") or "Sheet"  # Excel refuses a title that begins or ends with '
    used = {title.casefold() for title in taken}
    title = base[:TITLE_MAX]
    number = 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: TITLE_MAX - len(suffix)] + suffix
    return title
