"""The request, swap, decision and limits forms. Weeks are chosen as a first Monday and a
number of weeks: two native controls that work on a phone."""

from __future__ import annotations

import datetime

from django import forms

from programs.models import AcademicYear, Resident, ResidentRequest, Rotation
from resident_requests.models import RequestPolicy

_WIDGET = {"class": "form-select"}


def week_choices(years, today: datetime.date) -> list[tuple[str, str]]:
    """Mondays from this week to the end of the last year given, labelled for people."""
    monday = today - datetime.timedelta(days=today.weekday())
    choices = []
    for year in years:
        for index in range(year.weeks):
            start = year.week_start(index)
            if start >= monday:
                label = f"{start:%a %d %b %Y} · {year.name} week {index + 1}"
                choices.append((start.isoformat(), label))
    return choices


class WeeksMixin:
    def weeks_from(self, first: str, count: int) -> list[datetime.date]:
        start = datetime.date.fromisoformat(first)
        return [start + datetime.timedelta(weeks=n) for n in range(count)]


class RequestForm(WeeksMixin, forms.Form):
    kind = forms.ChoiceField(choices=ResidentRequest.Kind.choices, widget=forms.Select(_WIDGET))
    first_week = forms.ChoiceField(
        label="From the week of", required=False, widget=forms.Select(_WIDGET)
    )
    week_count = forms.IntegerField(
        label="Number of weeks",
        min_value=1,
        max_value=26,
        initial=1,
        widget=forms.NumberInput({"class": "form-control", "inputmode": "numeric"}),
    )
    rotation = forms.ModelChoiceField(
        queryset=Rotation.objects.none(),
        required=False,
        help_text="For a wish: the rotation to prefer or avoid.",
        widget=forms.Select(_WIDGET),
    )
    leave_category = forms.ChoiceField(
        choices=[("", "—"), *ResidentRequest.LeaveCategory.choices],
        required=False,
        label="Kind of leave",
        help_text="Seen by the program directors only.",
        widget=forms.Select(_WIDGET),
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        label="Note (optional)",
        widget=forms.Textarea({"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, program, weeks: list[tuple[str, str]], residents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_week"].choices = [("", "—"), *weeks]
        self.fields["rotation"].queryset = Rotation.objects.for_program(program).exclude(
            setting=Rotation.Setting.VACATION
        )
        if residents is not None:
            self.fields["resident"] = forms.ModelChoiceField(
                queryset=residents, widget=forms.Select(_WIDGET), label="Resident"
            )
            self.order_fields(["resident"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("prefer", "avoid") and not data.get("rotation"):
            self.add_error("rotation", "Choose the rotation.")
        if kind == "leave" and not data.get("leave_category"):
            self.add_error("leave_category", "Choose the kind of leave.")
        if kind != "prefer" and not data.get("first_week"):
            self.add_error("first_week", "Choose the first week.")
        return data

    @property
    def weeks(self) -> list[datetime.date]:
        data = self.cleaned_data
        if data.get("kind") == "prefer" or not data.get("first_week"):
            return []
        return self.weeks_from(data["first_week"], data.get("week_count") or 1)


class SwapForm(WeeksMixin, forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        label="Swap with",
        widget=forms.Select(_WIDGET),
    )
    first_week = forms.ChoiceField(label="I give the week of", widget=forms.Select(_WIDGET))
    week_count = forms.IntegerField(
        label="Number of weeks",
        min_value=1,
        max_value=12,
        initial=1,
        widget=forms.NumberInput({"class": "form-control", "inputmode": "numeric"}),
    )
    partner_first_week = forms.ChoiceField(
        label="In return, they give the week of (optional)",
        required=False,
        help_text="Leave empty to simply exchange the weeks above.",
        widget=forms.Select(_WIDGET),
    )
    partner_week_count = forms.IntegerField(
        label="Their number of weeks",
        min_value=1,
        max_value=12,
        initial=1,
        required=False,
        widget=forms.NumberInput({"class": "form-control", "inputmode": "numeric"}),
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        label="Note (optional)",
        widget=forms.Textarea({"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, partners, weeks: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["first_week"].choices = weeks
        self.fields["partner_first_week"].choices = [("", "—"), *weeks]

    def week_indices(self, year: AcademicYear) -> tuple[list[int], list[int]]:
        data = self.cleaned_data
        mine = self.weeks_from(data["first_week"], data["week_count"])
        theirs = []
        if data.get("partner_first_week"):
            theirs = self.weeks_from(
                data["partner_first_week"], data.get("partner_week_count") or 1
            )
        return (
            [(d - year.start).days // 7 for d in mine],
            [(d - year.start).days // 7 for d in theirs],
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    comment = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea({"class": "form-control", "rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("refuse", "Refuse")])


class PolicyForm(forms.ModelForm):
    blackout = forms.CharField(
        required=False,
        label="Blackout weeks",
        help_text="Mondays, one per line or comma-separated, e.g. 2027-06-28.",
        widget=forms.Textarea({"class": "form-control", "rows": 3}),
    )

    class Meta:
        model = RequestPolicy
        fields = ["vacation_weeks_per_year", "notice_days"]
        widgets = {
            "vacation_weeks_per_year": forms.NumberInput({"class": "form-control"}),
            "notice_days": forms.NumberInput({"class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blackout"].initial = "\n".join(self.instance.blackout_weeks)

    def clean_blackout(self) -> list[str]:
        days = []
        for text in self.cleaned_data["blackout"].replace(",", "\n").split():
            try:
                day = datetime.date.fromisoformat(text.strip())
            except ValueError as error:
                raise forms.ValidationError(f"{text!r} is not a date like 2027-06-28.") from error
            if day.weekday() != 0:
                raise forms.ValidationError(f"{day:%a %d %b %Y} is not a Monday.")
            days.append(day.isoformat())
        return sorted(set(days))

    def save(self, commit=True):
        self.instance.blackout_weeks = self.cleaned_data["blackout"]
        return super().save(commit)
