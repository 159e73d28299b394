"""Value rules shared by the models, the forms and the bundle and roster imports.

Each rule is written once here, so that a value refused by the bundle import is refused by
the admin's forms and by `full_clean()` too, with the same words.
"""

from __future__ import annotations

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
