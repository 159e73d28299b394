"""Forms for mentoring pages. They parse and check input; the services decide and store."""

from __future__ import annotations

import datetime

from django import forms
from django.forms import formset_factory

from mentoring.models import ActionItem, Meeting, PairingProposal
from mentoring.services.meetings import (
    MAX_ACTION_ITEMS,
    MAX_DURATION_MINUTES,
    NO_CONTENT,
    ActionItemInput,
)
from mentoring.services.profiles import MAX_CAPACITY
from mentoring.vocabulary import (
    INTERESTS,
    MEETING_TOPICS,
    merge_terms,
    split_free_text,
    split_known,
)
from programs.models import Faculty, Program


class BootstrapMixin:
    """Give every widget its Bootstrap 5 class, and `is-invalid` to fields with errors."""

    def style(self) -> None:
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self.style()


def _terms_field(label: str, vocabulary: tuple[str, ...]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=[(term, term) for term in vocabulary],
        widget=forms.CheckboxSelectMultiple,
    )


def _other_field(help_text: str = "Anything else, separated by commas.") -> forms.CharField:
    return forms.CharField(required=False, max_length=500, label="Other", help_text=help_text)


def terms_initial(terms: list[str], vocabulary: tuple[str, ...]) -> tuple[list[str], str]:
    """Return (vocabulary terms, free text) to show stored `terms` in a form."""
    chosen, other = split_known(terms or [], vocabulary)
    return chosen, ", ".join(other)


class MentorProfileForm(BootstrapMixin, forms.Form):
    interests = _terms_field("Mentoring interests", INTERESTS)
    interests_other = _other_field()
    clinical_area = forms.CharField(
        max_length=200, required=False, help_text="e.g. hospital medicine, cardiology."
    )
    mentor_capacity = forms.IntegerField(
        label="Mentees you can take",
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text="Including your current mentees.",
    )
    availability = forms.CharField(
        max_length=300, required=False, help_text="e.g. Tuesday afternoons, virtual is fine."
    )
    mentor_status = forms.ChoiceField(label="Status", choices=Faculty.MentorStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    @classmethod
    def initial_for(cls, faculty: Faculty) -> dict:
        chosen, other = terms_initial(faculty.interests, INTERESTS)
        return {
            "interests": chosen,
            "interests_other": other,
            "clinical_area": faculty.clinical_area,
            "mentor_capacity": faculty.mentor_capacity,
            "availability": faculty.availability,
            "mentor_status": faculty.mentor_status,
        }

    def interests_list(self) -> list[str]:
        data = self.cleaned_data
        return merge_terms(data["interests"], split_free_text(data["interests_other"]))


class ResidentProfileForm(BootstrapMixin, forms.Form):
    career_goals = _terms_field("Career goals", INTERESTS)
    career_goals_other = _other_field()
    interests = _terms_field("Interests", INTERESTS)
    interests_other = _other_field()
    choice_1 = forms.ModelChoiceField(
        queryset=Faculty.objects.none(), required=False, label="1st choice"
    )
    choice_2 = forms.ModelChoiceField(
        queryset=Faculty.objects.none(), required=False, label="2nd choice"
    )
    choice_3 = forms.ModelChoiceField(
        queryset=Faculty.objects.none(), required=False, label="3rd choice"
    )

    CHOICES = ("choice_1", "choice_2", "choice_3")

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        mentors = Faculty.objects.filter(
            program=program, mentor_status=Faculty.MentorStatus.ACTIVE, mentor_capacity__gt=0
        ).order_by("name")
        for name in self.CHOICES:
            self.fields[name].queryset = mentors
            self.fields[name].empty_label = "— no preference —"
            self.fields[name].label_from_instance = _mentor_label
        self.style()

    @classmethod
    def initial_for(cls, resident, preferences) -> dict:
        goals, goals_other = terms_initial(resident.career_goals, INTERESTS)
        interests, interests_other = terms_initial(resident.interests, INTERESTS)
        initial = {
            "career_goals": goals,
            "career_goals_other": goals_other,
            "interests": interests,
            "interests_other": interests_other,
        }
        for preference in preferences:
            if preference.rank <= len(cls.CHOICES):
                initial[f"choice_{preference.rank}"] = preference.faculty_id
        return initial

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for name in self.CHOICES:
            faculty = cleaned.get(name)
            if faculty is None:
                continue
            if faculty.pk in seen:
                self.add_error(name, "You already ranked this mentor.")
            seen.add(faculty.pk)
        return cleaned

    def goals_list(self) -> list[str]:
        data = self.cleaned_data
        return merge_terms(data["career_goals"], split_free_text(data["career_goals_other"]))

    def interests_list(self) -> list[str]:
        data = self.cleaned_data
        return merge_terms(data["interests"], split_free_text(data["interests_other"]))

    def preferences(self) -> list[Faculty]:
        """The ranked mentors, first choice first, gaps closed up."""
        return [self.cleaned_data[n] for n in self.CHOICES if self.cleaned_data.get(n)]


def _mentor_label(faculty: Faculty) -> str:
    area = f" · {faculty.clinical_area}" if faculty.clinical_area else ""
    interests = f" ({', '.join(faculty.interests[:3])})" if faculty.interests else ""
    return f"{faculty.name}{area}{interests}"


class MeetingForm(BootstrapMixin, forms.Form):
    occurred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        required=False,
        label="Start",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Optional; for your calendar.",
        error_messages={"invalid": "Give the time as HH:MM."},
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        error_messages={"invalid": "Give the duration in whole minutes."},
    )
    format = forms.ChoiceField(
        choices=Meeting.Format.choices, initial=Meeting.Format.IN_PERSON, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        choices=Meeting.Kind.choices, initial=Meeting.Kind.REGULAR, widget=forms.RadioSelect
    )
    topics = _terms_field("Topics", MEETING_TOPICS)
    topics_other = _other_field("")
    goals_discussed = forms.CharField(
        required=False,
        max_length=5000,
        label="Goals discussed",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shared with the resident.",
    )
    private_notes = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only you will ever see these: not the resident, not the program director.",
    )

    def __init__(self, *args, today: datetime.date, started_on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.started_on = today, started_on
        self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()
        self.fields["topics_other"].widget.attrs["placeholder"] = "Other topics, comma-separated"
        self.fields["duration_minutes"].widget.attrs.update(
            {"min": 1, "max": MAX_DURATION_MINUTES, "step": 5}
        )
        self.style()

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > self.today:
            raise forms.ValidationError(
                f"The meeting cannot be in the future (today is {self.today:%-d %b %Y})."
            )
        if day < self.started_on:
            raise forms.ValidationError(f"The mentorship started on {self.started_on:%-d %b %Y}.")
        return day

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 1 <= minutes <= MAX_DURATION_MINUTES:
            raise forms.ValidationError(f"A meeting lasts 1 to {MAX_DURATION_MINUTES} minutes.")
        return minutes

    def clean(self):
        cleaned = super().clean()
        if "topics" in cleaned and "topics_other" in cleaned:
            has_note = (cleaned.get("goals_discussed") or "").strip() or (
                cleaned.get("private_notes") or ""
            ).strip()
            if not self.topics_list() and not has_note:
                self.add_error("topics", NO_CONTENT)
        return cleaned

    def topics_list(self) -> list[str]:
        data = self.cleaned_data
        return merge_terms(data["topics"], split_free_text(data["topics_other"]))


class ActionItemForm(BootstrapMixin, forms.Form):
    description = forms.CharField(max_length=300, required=False)
    owner = forms.ChoiceField(choices=ActionItem.Owner.choices, initial=ActionItem.Owner.RESIDENT)
    due_on = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["placeholder"] = "e.g. Draft a personal statement"
        self.style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_on") and not (cleaned.get("description") or "").strip():
            self.add_error("description", "Describe the action item, or clear its due date.")
        return cleaned

    def as_input(self) -> ActionItemInput | None:
        """The row as a service input, or None for a blank row."""
        description = (self.cleaned_data.get("description") or "").strip()
        if not description:
            return None
        return ActionItemInput(description, self.cleaned_data["owner"], self.cleaned_data["due_on"])


ActionItemFormSet = formset_factory(
    ActionItemForm, extra=3, max_num=MAX_ACTION_ITEMS, validate_max=True
)


class ReflectionForm(BootstrapMixin, forms.Form):
    reflection = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shared with your mentor; your program director does not see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ProposeForm(BootstrapMixin, forms.Form):
    scope = forms.ChoiceField(
        choices=PairingProposal.Scope.choices,
        initial=PairingProposal.Scope.UNPAIRED,
        widget=forms.RadioSelect,
    )
    keep_existing = forms.BooleanField(
        required=False, initial=True, label="Keep current pairs (for the whole program)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class AssignForm(BootstrapMixin, forms.Form):
    mentor = forms.ModelChoiceField(queryset=Faculty.objects.none())

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Faculty.objects.for_program(program)
        self.style()
