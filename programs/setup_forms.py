"""Forms of the set-up pages. They do not repeat the bundle's rules: each builds the record as
the bundle would hold it and asks `programs.bundle.record_check` (the importer's own checks)
what is wrong with it, then shows each problem on the field it is about.

Fields here only turn text into values (a number, a date); bounds such as 0-100%, min <= max,
unique codes or Mondays are the bundle's and come back from its checks.
"""

from __future__ import annotations

import re
import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from programs.bundle.checks import PGY_LEVELS
from programs.bundle.exporter import bundle_export
from programs.bundle.problems import Problem
from programs.bundle.record_check import RecordProblems, record_problems, split_index
from programs.bundle.validate import FORMAT, bundle_problems
from programs.models import (
    AcademicYear,
    Faculty,
    Program,
    Requirement,
    Resident,
    Rotation,
    Track,
)
from programs.validators import READABLE_PALETTE, validate_readable_color

#: Where in the bundle a duplicate was first seen means nothing on a form: dropped.
_BUNDLE_PLACE = re.compile(r"\s*\((?:first|also) at [^)]*\)")
PGY_CHOICES = [(level, f"PGY-{level}") for level in PGY_LEVELS]
_HUNDRED = Decimal(100)


def percent(share: Decimal) -> str:
    """A share as the percentage a person types: Decimal("0.5") -> "50", 0.345 -> "34.5"."""
    text = format((share * _HUNDRED).quantize(Decimal("0.1")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _words(value: str) -> list[str]:
    """A comma-separated list as typed ("primary care, QI") -> ["primary care", "QI"]."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class BundleRulesForm(forms.Form):
    """A form whose record is checked by the bundle's rules in `clean()`.

    Subclasses give `section`, `key`, `record()` and `FIELD_OF` (a problem's path inside the
    record -> the form field it is shown on; a path not listed goes to the whole form).
    """

    section = ""
    key = "code"
    FIELD_OF: dict[str, str] = {}
    #: Rewordings of a problem at a path, for fields shown in another unit (percentages).
    WORDING: dict[str, str] = {}

    def __init__(self, *args, program: Program, instance=None, **kwargs):
        self.program = program
        self.instance = instance
        super().__init__(*args, **kwargs)

    def record(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def replaces(self) -> dict[str, Any]:
        return {"replaces": getattr(self.instance, self.key, None)} if self.instance else {}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        found = record_problems(
            program=self.program,
            section=self.section,
            record=self.record(cleaned),
            key=self.key,
            **self.replaces(),
        )
        self.show(found)
        return cleaned

    def show(self, found: RecordProblems) -> None:
        for path, messages in found.by_path.items():
            name = self.FIELD_OF.get(path) or self.FIELD_OF.get(split_index(path)[0])
            for message in messages:
                text = self.WORDING.get(path, _BUNDLE_PLACE.sub("", message))
                self.add_error(name if name in self.fields else None, text)
        for message in found.elsewhere:
            self.add_error(None, f"After this change the program would break a rule: {message}")


class TrackForm(BundleRulesForm):
    section = "tracks"
    code = forms.CharField(max_length=32, help_text="Short, used in addresses: CAT, PC.")
    name = forms.CharField(max_length=200)
    ambulatory_min = forms.DecimalField(
        label="Ambulatory share from (%)", max_digits=6, decimal_places=1
    )
    ambulatory_max = forms.DecimalField(
        label="Ambulatory share to (%)", max_digits=6, decimal_places=1
    )
    FIELD_OF = {
        "code": "code",
        "name": "name",
        "ambulatory_share[0]": "ambulatory_min",
        "ambulatory_share[1]": "ambulatory_max",
        "ambulatory_share": "ambulatory_max",
    }
    WORDING = {
        "ambulatory_share[0]": "Enter a percentage from 0 to 100.",
        "ambulatory_share[1]": "Enter a percentage from 0 to 100.",
        "ambulatory_share": "The band's lower end is above its upper end.",
    }

    def __init__(self, *args, instance: Track | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": instance.code,
                "name": instance.name,
                "ambulatory_min": percent(instance.ambulatory_min),
                "ambulatory_max": percent(instance.ambulatory_max),
            }
        super().__init__(*args, instance=instance, **kwargs)

    def band(self) -> tuple[Decimal, Decimal]:
        """The band as the database keeps it: fractions."""
        return (
            self.cleaned_data["ambulatory_min"] / _HUNDRED,
            self.cleaned_data["ambulatory_max"] / _HUNDRED,
        )

    def record(self, cleaned):
        return {
            "code": cleaned["code"],
            "name": cleaned["name"],
            "ambulatory_share": [
                float(cleaned["ambulatory_min"] / _HUNDRED),
                float(cleaned["ambulatory_max"] / _HUNDRED),
            ],
        }


class RotationForm(BundleRulesForm):
    section = "rotations"
    code = forms.CharField(max_length=32)
    name = forms.CharField(max_length=200)
    setting = forms.ChoiceField(choices=Rotation.Setting.choices)
    phase = forms.ChoiceField(choices=Rotation.Phase.choices, initial=Rotation.Phase.ANY)
    color = forms.CharField(
        label="Colour",
        max_length=7,
        initial=READABLE_PALETTE[0],
        help_text="Pick one of the swatches or type #rrggbb; white text must stay readable.",
    )
    max_consecutive_weeks = forms.IntegerField(required=False, label="At most … weeks in a row")
    min_run_weeks = forms.IntegerField(required=False, label="Runs last at least … weeks")
    intense = forms.BooleanField(required=False, label="Intense (ICU, nights)")
    experiences = forms.CharField(
        required=False,
        label="Required experiences it gives",
        help_text="Comma-separated, e.g. geriatrics, palliative care.",
    )
    FIELD_OF = {
        "code": "code",
        "name": "name",
        "setting": "setting",
        "phase": "phase",
        "max_consecutive_weeks": "max_consecutive_weeks",
        "min_run_weeks": "min_run_weeks",
    }

    def __init__(self, *args, instance: Rotation | None = None, staffing=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "code",
                    "name",
                    "setting",
                    "phase",
                    "color",
                    "max_consecutive_weeks",
                    "min_run_weeks",
                    "intense",
                )
            } | {"experiences": ", ".join(instance.experiences)}
        self.staffing = staffing
        super().__init__(*args, instance=instance, **kwargs)

    def clean_color(self):
        """A new colour keeps white text readable; an imported one may stay as it is."""
        color = self.cleaned_data["color"]
        if self.instance is None or color != self.instance.color:
            validate_readable_color(color)
        return color

    def values(self) -> dict[str, Any]:
        cleaned = dict(self.cleaned_data)
        cleaned["experiences"] = _words(cleaned.get("experiences", ""))
        return cleaned

    def record(self, cleaned):
        data = {
            "code": cleaned["code"],
            "name": cleaned["name"],
            "setting": cleaned["setting"],
            "phase": cleaned["phase"],
        }
        rules = self.staffing.rules() if self.staffing is not None else []
        if rules:
            data["staffing"] = rules
        for name in ("max_consecutive_weeks", "min_run_weeks"):
            if cleaned.get(name) is not None:
                data[name] = cleaned[name]
        return data

    def show(self, found: RecordProblems) -> None:
        """Staffing problems (`staffing[1].min`) go on the staffing row they are about."""
        rest = RecordProblems(elsewhere=found.elsewhere)
        for path, messages in found.by_path.items():
            name, index, tail = split_index(path)
            if name == "staffing" and index is not None and self.staffing is not None:
                self.staffing.add_rule_errors(index, tail, messages)
                self.add_error(None, "Check the staffing rules below.")
            else:
                rest.by_path[path] = messages
        super().show(rest)


class StaffingRuleForm(forms.Form):
    pgy = forms.TypedMultipleChoiceField(
        choices=PGY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, label="PGY"
    )
    min = forms.IntegerField(label="Min")
    max = forms.IntegerField(required=False, label="Max", help_text="Empty: no limit.")


class BaseStaffingFormSet(forms.BaseFormSet):
    def live_forms(self) -> list[forms.Form]:
        """Forms holding a rule, in order: every row that came filled in (changed or not) and
        every new row filled in, unless marked for deletion."""
        initial = set(map(id, self.initial_forms))
        return [
            form
            for form in self.forms
            if (id(form) in initial or form.has_changed())
            and not (self.can_delete and self._should_delete_form(form))
        ]

    def rules(self) -> list[dict[str, Any]]:
        """The rules as the bundle writes them (only rows that validated)."""
        out = []
        for form in self.live_forms():
            data = getattr(form, "cleaned_data", {})
            if not data or "min" not in data or "pgy" not in data:
                continue
            rule = {"pgy": sorted(data["pgy"]), "min": data["min"]}
            if data.get("max") is not None:
                rule["max"] = data["max"]
            out.append(rule)
        return out

    def add_rule_errors(self, index: int, tail: str, messages: list[str]) -> None:
        form = self.live_forms()[index]
        field = tail.split("[")[0] if tail.split("[")[0] in form.fields else None
        for message in messages:
            form.add_error(field, message)


StaffingFormSet = forms.formset_factory(
    StaffingRuleForm, formset=BaseStaffingFormSet, extra=1, can_delete=True
)


def staffing_initial(rotation: Rotation | None) -> list[dict[str, Any]]:
    if rotation is None:
        return []
    return [
        {"pgy": list(rule.pgy_levels), "min": rule.min_residents, "max": rule.max_residents}
        for rule in rotation.staffing.all()
    ]


class RequirementForm(BundleRulesForm):
    section = "requirements"
    all_tracks = forms.BooleanField(required=False, label="Every track")
    tracks = forms.ModelMultipleChoiceField(
        queryset=Track.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    pgy = forms.TypedMultipleChoiceField(
        choices=PGY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, label="PGY levels"
    )
    rotations = forms.ModelMultipleChoiceField(
        queryset=Rotation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    min_weeks = forms.IntegerField(required=False, label="At least (weeks a year)")
    max_weeks = forms.IntegerField(required=False, label="At most (weeks a year)")
    FIELD_OF = {
        "tracks": "tracks",
        "pgy": "pgy",
        "rotations": "rotations",
        "min_weeks": "min_weeks",
        "max_weeks": "max_weeks",
    }

    def __init__(self, *args, program: Program, instance: Requirement | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "all_tracks": instance.all_tracks,
                "tracks": list(instance.tracks.all()),
                "pgy": list(instance.pgy_levels),
                "rotations": list(instance.rotations.all()),
                "min_weeks": instance.min_weeks,
                "max_weeks": instance.max_weeks,
            }
        super().__init__(*args, program=program, instance=instance, **kwargs)
        self.fields["tracks"].queryset = Track.objects.for_program(program)
        self.fields["rotations"].queryset = Rotation.objects.for_program(program)

    def clean(self):
        cleaned = forms.Form.clean(self)
        if not cleaned.get("all_tracks") and not cleaned.get("tracks") and "tracks" in cleaned:
            self.add_error("tracks", "Choose the tracks, or tick “Every track”.")
        return super().clean()

    def replaces(self):
        if self.instance is None:
            return {}
        order = list(
            Requirement.objects.for_program(self.program)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        return {"at": order.index(self.instance.pk)}

    def record(self, cleaned):
        data: dict[str, Any] = {
            "tracks": "*" if cleaned["all_tracks"] else [t.code for t in cleaned["tracks"]],
            "pgy": sorted(cleaned["pgy"]),
            "rotations": [rotation.code for rotation in cleaned["rotations"]],
        }
        for name in ("min_weeks", "max_weeks"):
            if cleaned.get(name) is not None:
                data[name] = cleaned[name]
        return data


class YearForm(BundleRulesForm):
    section = "academic_years"
    key = "name"
    name = forms.CharField(max_length=32, help_text="e.g. 2027-2028")
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="A Monday.")
    weeks = forms.IntegerField(initial=52)
    FIELD_OF = {"name": "name", "start": "start", "weeks": "weeks"}

    def __init__(self, *args, instance: AcademicYear | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "start": instance.start,
                "weeks": instance.weeks,
            }
        super().__init__(*args, instance=instance, **kwargs)

    def record(self, cleaned):
        return {
            "name": cleaned["name"],
            "start": cleaned["start"].isoformat(),
            "weeks": cleaned["weeks"],
        }


class ResidentForm(BundleRulesForm):
    section = "residents"
    key = "id"
    external_id = forms.CharField(max_length=64, label="Id", help_text="e.g. R0042")
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    pgy = forms.TypedChoiceField(choices=PGY_CHOICES, coerce=int, label="PGY")
    track = forms.ModelChoiceField(queryset=Track.objects.none())
    cohort = forms.IntegerField(required=False, help_text="Empty: the scheduler chooses.")
    status = forms.ChoiceField(choices=Resident.Status.choices, initial=Resident.Status.ACTIVE)
    started_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Start"
    )
    expected_graduation = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interests = forms.CharField(
        required=False, help_text="Comma-separated, e.g. primary care, medical education."
    )
    FIELD_OF = {
        "id": "external_id",
        "name": "name",
        "email": "email",
        "pgy": "pgy",
        "track": "track",
        "cohort": "cohort",
        "interests": "interests",
    }

    def __init__(self, *args, program: Program, instance: Resident | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "external_id",
                    "name",
                    "email",
                    "pgy",
                    "track",
                    "cohort",
                    "status",
                    "started_on",
                    "expected_graduation",
                )
            } | {"interests": ", ".join(instance.interests)}
        super().__init__(*args, program=program, instance=instance, **kwargs)
        self.fields["track"].queryset = Track.objects.for_program(program)
        self.fields[
            "cohort"
        ].help_text = f"0 to {program.cohorts - 1}; empty lets the scheduler choose."

    def replaces(self):
        return {"replaces": self.instance.external_id} if self.instance else {}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("started_on"), cleaned.get("expected_graduation")
        if low and high and high <= low:
            self.add_error("expected_graduation", "Graduation comes after the start.")
        return cleaned

    def record(self, cleaned):
        data = {
            "id": cleaned["external_id"],
            "name": cleaned["name"],
            "email": cleaned["email"],
            "pgy": cleaned["pgy"],
            "track": cleaned["track"].code,
        }
        if cleaned.get("cohort") is not None:
            data["cohort"] = cleaned["cohort"]
        interests = _words(cleaned.get("interests", ""))
        if interests:
            data["interests"] = interests
        return data

    def values(self) -> dict[str, Any]:
        cleaned = dict(self.cleaned_data)
        cleaned["interests"] = _words(cleaned.get("interests", ""))
        return cleaned


class FacultyForm(BundleRulesForm):
    section = "faculty"
    key = "id"
    external_id = forms.CharField(max_length=64, label="Id", help_text="e.g. F007")
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    mentor_capacity = forms.IntegerField(initial=0, label="Mentees at most")
    mentor_status = forms.ChoiceField(
        choices=Faculty.MentorStatus.choices,
        initial=Faculty.MentorStatus.ACTIVE,
        label="Mentoring",
        help_text="“Not mentoring” takes them out of pairing; current mentees stay.",
    )
    interests = forms.CharField(required=False, help_text="Comma-separated.")
    clinical_area = forms.CharField(required=False, max_length=200)
    FIELD_OF = {
        "id": "external_id",
        "name": "name",
        "email": "email",
        "mentor_capacity": "mentor_capacity",
        "interests": "interests",
    }

    def __init__(self, *args, program: Program, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "external_id",
                    "name",
                    "email",
                    "mentor_capacity",
                    "mentor_status",
                    "clinical_area",
                )
            } | {"interests": ", ".join(instance.interests)}
        super().__init__(*args, program=program, instance=instance, **kwargs)

    def replaces(self):
        return {"replaces": self.instance.external_id} if self.instance else {}

    def record(self, cleaned):
        return {
            "id": cleaned["external_id"],
            "name": cleaned["name"],
            "email": cleaned["email"],
            "mentor_capacity": cleaned["mentor_capacity"],
            "interests": _words(cleaned.get("interests", "")),
        }

    def values(self) -> dict[str, Any]:
        cleaned = dict(self.cleaned_data)
        cleaned["interests"] = _words(cleaned.get("interests", ""))
        return cleaned


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class ProgramForm(forms.Form):
    """A new program: checked as the bundle a program with only these would be."""

    name = forms.CharField(max_length=200)
    slug = forms.CharField(max_length=64, help_text="Short, in addresses: e.g. city-im.")
    institution = forms.CharField(max_length=200, required=False)
    timezone = forms.ChoiceField(
        label="Time zone", choices=_timezone_choices, initial="America/New_York"
    )
    x_weeks = forms.IntegerField(initial=3, label="X weeks (inpatient/elective)")
    y_weeks = forms.IntegerField(initial=2, label="Y weeks (ambulatory)")
    cohorts = forms.IntegerField(initial=5, help_text="Staggered groups; they divide X+Y.")
    year_name = forms.CharField(max_length=32, label="First academic year", initial="2027-2028")
    year_start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="It starts on (a Monday)"
    )
    year_weeks = forms.IntegerField(initial=52, label="Weeks")
    director_email = forms.EmailField(
        label="Who leads it (program director's e-mail)",
        help_text="An existing account becomes director; anyone else is invited.",
    )
    FIELD_OF = {
        "$.program.slug": "slug",
        "$.program.name": "name",
        "$.program.institution": "institution",
        "$.program.timezone": "timezone",
        "$.template.x_weeks": "x_weeks",
        "$.template.y_weeks": "y_weeks",
        "$.template.cohorts": "cohorts",
        "$.academic_years[0].name": "year_name",
        "$.academic_years[0].start": "year_start",
        "$.academic_years[0].weeks": "year_weeks",
    }

    def bundle(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "program": {
                "slug": cleaned["slug"],
                "name": cleaned["name"],
                "institution": cleaned.get("institution", ""),
                "timezone": cleaned["timezone"],
            },
            "academic_years": [
                {
                    "name": cleaned["year_name"],
                    "start": cleaned["year_start"].isoformat(),
                    "weeks": cleaned["year_weeks"],
                }
            ],
            "template": {
                "x_weeks": cleaned["x_weeks"],
                "y_weeks": cleaned["y_weeks"],
                "cohorts": cleaned["cohorts"],
            },
            "tracks": [],
            "rotations": [],
            "requirements": [],
            "residents": [],
            "faculty": [],
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems: list[Problem] = bundle_problems(self.bundle(cleaned))
        for problem in problems:
            name = self.FIELD_OF.get(problem.path)
            self.add_error(name, problem.message)
        if Program.objects.filter(slug__iexact=cleaned.get("slug", "")).exists():
            self.add_error("slug", "Another program already has this address.")
        return cleaned


class ProgramSettingsForm(forms.Form):
    """The program's name, institution, time zone and X+Y template after creation: the
    program's whole bundle (as exported) with these values is checked by the bundle's rules,
    and only the problems the change brings are shown (a cohort beyond the new count...)."""

    name = forms.CharField(max_length=200)
    institution = forms.CharField(max_length=200, required=False)
    timezone = forms.ChoiceField(label="Time zone", choices=_timezone_choices)
    x_weeks = forms.IntegerField(label="X weeks (inpatient/elective)")
    y_weeks = forms.IntegerField(label="Y weeks (ambulatory)")
    cohorts = forms.IntegerField(help_text="Staggered groups; they divide X+Y.")
    FIELD_OF = {
        "$.program.name": "name",
        "$.program.institution": "institution",
        "$.program.timezone": "timezone",
        "$.template.x_weeks": "x_weeks",
        "$.template.y_weeks": "y_weeks",
        "$.template.cohorts": "cohorts",
    }

    def __init__(self, *args, program: Program, **kwargs):
        self.program = program
        kwargs.setdefault(
            "initial",
            {
                name: getattr(program, name)
                for name in ("name", "institution", "timezone", "x_weeks", "y_weeks", "cohorts")
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        now = bundle_export(program=self.program)
        after = now | {
            "program": now["program"]
            | {name: cleaned.get(name, "") for name in ("name", "institution", "timezone")},
            "template": now["template"]
            | {name: cleaned[name] for name in ("x_weeks", "y_weeks", "cohorts")},
        }
        already = {(p.path, p.message) for p in bundle_problems(now)}
        for problem in bundle_problems(after):
            if (problem.path, problem.message) in already:
                continue
            name = self.FIELD_OF.get(problem.path)
            text = _BUNDLE_PLACE.sub("", problem.message)
            self.add_error(name, text if name else f"{problem.path}: {text}")
        return cleaned


class CopyForm(forms.Form):
    """A copy of a program under a new address, for a new track or next year's plan."""

    name = forms.CharField(max_length=200)
    slug = forms.CharField(max_length=64)
    with_roster = forms.BooleanField(
        required=False, label="Copy the residents and faculty too", initial=False
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Program.objects.filter(slug__iexact=slug).exists():
            raise ValidationError("Another program already has this address.")
        return slug
