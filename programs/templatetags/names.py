"""Names for people instead of internal codes: `{% load names %}{{ r.cohort|cohort_label }}`."""

from django import template

from scheduling.xy import cohort_label as _cohort_label

register = template.Library()


@register.filter
def cohort_label(cohort: int | None, empty: str = "") -> str:
    """ "Cohort A" for cohort 0 (scheduling.xy.cohort_label); `empty` when none is set."""
    return _cohort_label(cohort) or empty
