"""`{{ rotation.color|hex_color }}`: a colour safe to write into a `style` attribute;
`{{ rotation.color|text_on }}`: the readable text colour on it (programs/colors.py)."""

from django import template

from programs.colors import text_color
from programs.validators import hex_color as _hex_color

register = template.Library()


@register.filter
def hex_color(value: str | None) -> str:
    """`value` when it is `#rrggbb`, else the fallback grey (never anything else)."""
    return _hex_color(value)


@register.filter
def text_on(value: str | None) -> str:
    """Black or white, whichever reads better on the colour `value`."""
    return text_color(value)
