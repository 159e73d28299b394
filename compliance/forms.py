"""Forms of the compliance pages: the findings filters and the limits editor."""

from __future__ import annotations

from django import forms

from compliance.engine import LIMITS, ComplianceSettings
from compliance.engine.limits import describe_tag
from compliance.models import Finding

_SHARES = ("ambulatory_floor", "inpatient_floor")
_WHOLE = (
    "continuity_clinic_min_sessions",
    "residency_years",
    "max_consecutive_intense_blocks",
    "vacation_weeks_per_year",
)
_PLACES = 4  # decimals shown for fractional limits
_PERCENT_PLACES = 2  # decimals shown for shares, which people read and type as percentages


class FindingFilterForm(forms.Form):
    """GET filters of the findings table; unknown values are ignored, never an error page."""

    severity = forms.ChoiceField(
        required=False, choices=[("", "Any severity"), *Finding.Severity.choices]
    )
    rule = forms.ChoiceField(required=False)
    pgy = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any PGY"), *((str(n), f"PGY-{n}") for n in range(1, 8))],
    )
    track = forms.ChoiceField(required=False)

    def __init__(self, *args, rules: list[str], tracks: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Any rule"), *((r, r) for r in rules)]
        self.fields["track"].choices = [("", "Any track"), *tracks]

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped (a stale link still shows a page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in ("severity", "rule", "pgy", "track")}


class ComplianceLimitsForm(forms.Form):
    """Every limit of `limits.LIMITS`, pre-filled with the value in force.

    A value shown rounded and posted back unchanged keeps its exact value (one-third stays
    1/3, not 0.3333). `overrides()` gives the full set for `compliance_settings_update`,
    which stores only what differs from the defaults.
    """

    def __init__(self, *args, in_force: ComplianceSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_force = in_force
        for limit_id, limit in LIMITS.items():
            current = in_force.value(limit_id)
            help_text = f"{limit.unit}; default {display_value(limit_id, limit.default)}"
            if limit_id == "required_experiences":
                field = forms.CharField(
                    required=False,
                    initial=", ".join(describe_tag(tag) for tag in current),
                    help_text="comma-separated experience tags; default "
                    + ", ".join(describe_tag(tag) for tag in limit.default),
                )
            elif limit_id in _WHOLE:
                field = forms.IntegerField(min_value=0, initial=current, help_text=help_text)
            elif limit_id in _SHARES:
                field = forms.FloatField(
                    min_value=0,
                    max_value=100,
                    initial=round(float(current) * 100, _PERCENT_PLACES),
                    help_text=f"percent; default {display_value(limit_id, limit.default)}",
                )
            else:
                field = forms.FloatField(
                    min_value=0,
                    initial=round(float(current), _PLACES),
                    help_text=help_text,
                )
            field.label = limit_id.replace("_", " ").capitalize()
            if limit_id in _SHARES:
                field.label += " (%)"
            field.widget.attrs.update({"class": "form-control form-control-sm"})
            if isinstance(field, forms.FloatField):
                field.widget.attrs["step"] = "any"
            self.fields[limit_id] = field

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self._settings = ComplianceSettings.from_overrides(self._values(cleaned))
        except ValueError as error:
            message = str(error)
            named = next((key for key in LIMITS if f"'{key}'" in message), None)
            self.add_error(named, message)
        return cleaned

    def _values(self, cleaned: dict) -> dict:
        values = {}
        for limit_id in LIMITS:
            value = cleaned.get(limit_id)
            current = self.in_force.value(limit_id)
            if limit_id == "required_experiences":
                value = [tag.strip() for tag in (value or "").split(",") if tag.strip()]
            elif limit_id in _SHARES and isinstance(value, float):
                shown = round(float(current) * 100, _PERCENT_PLACES)
                value = current if value == shown else value / 100
            elif isinstance(value, float) and round(float(current), _PLACES) == value:
                value = current  # shown rounded, posted back unchanged
            values[limit_id] = value
        return values

    def overrides(self) -> dict:
        """The posted limits, validated: every limit id with its value."""
        settings = self._settings
        return {
            limit_id: list(value) if isinstance(value, tuple) else value
            for limit_id, value in ((k, settings.value(k)) for k in LIMITS)
        }


def display_value(limit_id: str, value) -> str:
    """A limit's value as people read it: shares as percentages, tags as words."""
    if isinstance(value, (tuple, list)):
        return ", ".join(describe_tag(tag) for tag in value) or "none"
    if limit_id in _SHARES:
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
