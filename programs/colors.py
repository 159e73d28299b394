"""Readable text on a rotation's colour (WCAG 2.2 AA, success criterion 1.4.3).

A rotation keeps the colour its program chose; the text written on it is whichever of near
black or white has the higher contrast ratio with that colour. For any `#rrggbb` one of the
two reaches at least 4.5:1 (the worst case, a mid grey, still gives about 4.6:1), which is
the AA threshold for normal text, so no colour needs darkening.
"""

from __future__ import annotations

from programs.validators import hex_color

DARK_TEXT = "#000"
LIGHT_TEXT = "#fff"
AA_NORMAL = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a `#rrggbb` (or `#rgb`) colour, 0 (black) to 1 (white)."""
    if len(color) == 4:
        color = "#" + "".join(c * 2 for c in color[1:])
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (`#rrggbb` or `#rgb`), 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_color(background: str | None) -> str:
    """Black or white, whichever contrasts more with `background` (anything that is not a
    `#rrggbb` is read as the fallback grey, as it is drawn)."""
    background = hex_color(background)
    dark = contrast_ratio(background, DARK_TEXT)
    light = contrast_ratio(background, LIGHT_TEXT)
    return DARK_TEXT if dark > light else LIGHT_TEXT
