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

    def __init__(self, *args, history_weeks: int = 0, weeks: int = 0, **kwargs):
        """`history_weeks`: weeks already worked (issue 11); the choices say they are kept."""
        super().__init__(*args, **kwargs)
        if history_weeks:
            self.fields["mode"].choices = [
                (
                    "fresh",
                    f"Build weeks {history_weeks + 1}-{weeks} from scratch "
                    f"(weeks 1-{history_weeks} are history and kept as published)",
                ),
                (
                    "resolve",
                    "Re-solve the current version (keep history and pinned cells, "
                    "change as little as it can)",
                ),
            ]


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


class ReplanForm(forms.Form):
    """A minimal-change re-plan of the published version, and why (recorded in history)."""

    reason = forms.CharField(
        label="Why re-plan?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        help_text="For example: approved medical leave for R0031, weeks 20-22.",
    )
    time_limit_s = forms.IntegerField(
        label="Time limit (seconds)",
        min_value=1,
        max_value=600,
        initial=lambda: settings.SCHEDULE_BUILD_TIME_LIMIT_S,
    )


class PublishForm(forms.Form):
    """Publishing; a version that breaks hard rules needs a director's written reason."""

    override_reason = forms.CharField(
        label="Reason for publishing despite the broken rules",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="Note for the directors",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class CellRefForm(forms.Form):
    """One cell of a version: a resident's pk and a 0-based week."""

    resident = forms.IntegerField(min_value=1)
    week = forms.IntegerField(min_value=0, max_value=52)


class WeekForm(forms.Form):
    """A day of the week to show (any day: the week it falls in)."""

    week = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )


class PublishRolesForm(forms.Form):
    """Who may publish the program's schedules; the others submit drafts for approval."""

    roles = forms.MultipleChoiceField(
        label="Roles that may publish",
        widget=forms.CheckboxSelectMultiple,
        help_text="The others submit drafts for approval. Only directors may publish a version "
        "that breaks hard rules, whatever is chosen here.",
    )

    def __init__(self, *args, **kwargs):
        from programs.models import Role
        from scheduling.services.publishing import PUBLISHER_CHOICES

        super().__init__(*args, **kwargs)
        labels = dict(Role.Kind.choices)
        self.fields["roles"].choices = [(str(r), labels[r]) for r in PUBLISHER_CHOICES]
