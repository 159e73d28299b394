from django import forms
from django.conf import settings


class BuildForm(forms.Form):
    """Ask the solver for a schedule: from scratch, or re-solving the current version."""

    MODE_CHOICES = [
        ("fresh", "Build from scratch"),
        ("resolve", "Re-solve the current version (keep pinned cells, change as little as it can)"),
    ]
    mode = forms.ChoiceField(choices=MODE_CHOICES, initial="fresh", widget=forms.RadioSelect)
    time_limit_s = forms.IntegerField(
        label="Time limit (seconds)",
        min_value=1,
        max_value=600,
        initial=lambda: settings.SCHEDULE_BUILD_TIME_LIMIT_S,
    )
    seed = forms.IntegerField(label="Seed", initial=0, min_value=0, max_value=2**31 - 1)


class CellForm(forms.Form):
    """One cell of a draft: a resident, a week (1-based on screen, 0-based here), a rotation."""

    resident = forms.IntegerField(min_value=1)
    week = forms.IntegerField(min_value=0, max_value=52)
    rotation = forms.CharField(max_length=32, required=False)
    # The rotation code the editor saw in the cell ("" for an empty cell), when they send it.
    expected = forms.CharField(max_length=32, required=False)


class PinForm(forms.Form):
    resident = forms.IntegerField(min_value=1)
    week = forms.IntegerField(min_value=0, max_value=52)
    pinned = forms.BooleanField(required=False)
