"""`{{ version|solver_words }}`: a version's build outcome as a sentence (solver/wording.py)."""

from django import template

from scheduling.solver.wording import verdict

register = template.Library()


@register.filter
def solver_words(version) -> str:
    """The verdict for a version the solver built, from its stored status and gap; empty
    for versions made by hand or imported."""
    if not getattr(version, "solver_status", ""):
        return ""
    return verdict(version.solver_status, gap=version.gap, has_schedule=True)
