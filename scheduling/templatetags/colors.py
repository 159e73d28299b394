"""`{{ rotation.color|hex_color }}`: a colour safe to write into a `style` attribute."""

from django import template

from programs.validators import hex_color as _hex_color

register = template.Library()


@register.filter
def hex_color(value: str | None) -> str:
    """`value` when it is `#rrggbb`, else the fallback grey (never anything else)."""
    return _hex_color(value)
