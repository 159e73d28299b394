"""Value rules shared by the models, the forms and the bundle and roster imports.

Each rule is written once here, so that a value refused by the bundle import is refused by
the admin's forms and by `full_clean()` too, with the same words.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

CONTROL_MESSAGE = "Remove the control characters (tabs, line breaks…)."


def printable(value: str) -> bool:
    """No control characters (NUL, tab, line breaks, escapes...) and no lone surrogates:
    databases refuse some of them, XLSX refuses most, and none belongs in a name or code."""
    if _CONTROL.search(value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_printable(value: str) -> None:
    """Refuses text with control characters or invalid Unicode (see `printable`)."""
    if isinstance(value, str) and not printable(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


#: What may become part of a web address: a program slug, an academic-year name, a track or
#: rotation code. One pattern for all of them, narrower than Django's `slug` converter (which
#: the program's URLs use) and so safe in every path segment and query string.
URL_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\Z")
URL_KEY_MESSAGE = (
    "Use letters, digits, '-' or '_' only, starting with a letter or digit: it becomes part "
    "of web addresses (e.g. 2027-2028)."
)


def is_url_key(value: str) -> bool:
    return isinstance(value, str) and bool(URL_KEY_RE.match(value))


def validate_url_key(value: str) -> None:
    """Refuses a slug, year name or code outside `URL_KEY_RE` (a year named `2099/2100`
    would otherwise make every link to it fail)."""
    if not is_url_key(value):
        raise ValidationError(URL_KEY_MESSAGE, code="url_key")


#: Dates the app accepts for academic years: far from `date.max`, so adding a year of weeks
#: never overflows, and wide enough for any real program.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Choose a date from 1 Jan 2000 to 31 Dec 2100."


def is_sane_date(value: datetime.date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_sane_date(value: datetime.date) -> None:
    """Refuses a date outside 2000-2100 (a roll-over into year 9999 overflowed)."""
    if isinstance(value, datetime.date) and not is_sane_date(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


#: A colour as the grid and the XLSX export write it: `#rrggbb`, nothing else (a colour is
#: written into a `style` attribute, where anything more could restyle or exfiltrate).
HEX_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}\Z")
HEX_COLOR_MESSAGE = "Use a colour as #rrggbb, e.g. #3b7dd8."
#: The grey every page and export falls back to for a colour that is not `#rrggbb`.
FALLBACK_COLOR = "#6c757d"


def is_hex_color(value: str) -> bool:
    return isinstance(value, str) and bool(HEX_COLOR_RE.match(value))


def hex_color(value: str | None) -> str:
    """`value` when it is `#rrggbb`, else `FALLBACK_COLOR`: what may be written out."""
    return value if value is not None and is_hex_color(value) else FALLBACK_COLOR


def validate_hex_color(value: str) -> None:
    if not is_hex_color(value):
        raise ValidationError(HEX_COLOR_MESSAGE, code="hex_color")


#: White text on a rotation's colour must stay readable: WCAG AA asks 4.5:1 for normal text.
MIN_CONTRAST_WITH_WHITE = 4.5
#: Colours to pick from on the set-up pages; each keeps white text readable (>= 4.5:1).
READABLE_PALETTE = (
    "#1f5fa8",
    "#2f6690",
    "#1f3a68",
    "#0f6e6e",
    "#2b7a3d",
    "#3a6b1f",
    "#b02a37",
    "#a8322d",
    "#8a4a00",
    "#6f42c1",
    "#7b2d8b",
    "#495057",
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of white text on `color` (`#rrggbb`), from 1 to 21."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)
    return 1.05 / (luminance + 0.05)


def validate_readable_color(value: str) -> None:
    """A `#rrggbb` colour on which white text stays readable (rotation chips on the grid)."""
    validate_hex_color(value)
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            f"White text on {value} is hard to read (contrast {ratio:.1f}:1, needs "
            f"{MIN_CONTRAST_WITH_WHITE}:1): pick a darker colour.",
            code="contrast",
        )
