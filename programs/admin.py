"""The admin's program rows, and `ProgramScopedAdmin`, which every program row's admin uses.

Only site operators reach the admin (`residency.admin`). On a row's page, every choice of a
linked row is one of the row's program's: its dropdowns, multi-selects and inlines; the
models' `clean()` (and `RequirementAdminForm` for the many-to-many links) refuse a save that
mixes programs anyway, including on an add page, where the program is not chosen yet.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model

from programs.links import require_rows_of_program
from programs.models import (
    AcademicYear,
    Faculty,
    Program,
    Requirement,
    Resident,
    ResidentRequest,
    Role,
    Rotation,
    StaffingRule,
    Track,
)

#: How to reach the program from rows whose admin does not say (accounts: those with a role).
ACCOUNT_PROGRAM_PATH = "roles__program"


def program_id_of(row, path: str) -> int | None:
    """The id of the program of `row` along `path` ("schedule__program"), or None."""
    if row is None or row.pk is None:
        return None
    *steps, last = path.split("__")
    for step in steps:
        row = getattr(row, step)
    return row.pk if last == "pk" else getattr(row, f"{last}_id")


def limit_choices(fields: dict, program_id: int | None, site: admin.AdminSite) -> None:
    """Narrow every choice field among `fields` to rows of program `program_id`."""
    if program_id is None:
        return
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is get_user_model():
            path = ACCOUNT_PROGRAM_PATH
        elif isinstance(site._registry.get(model), ProgramScopedAdmin):
            path = site._registry[model].program_path
        else:
            continue
        field.queryset = queryset.filter(**{path: program_id}).distinct()


class ProgramScopedAdmin(admin.ModelAdmin):
    """The admin of rows of one program; `program_path` is the lookup to that program."""

    program_path = "program"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        limit_choices(form.base_fields, program_id_of(obj, self.program_path), self.admin_site)
        return form


class ProgramScopedInline(admin.TabularInline):
    """An inline whose choices are the parent row's program's; `parent_program_path` is the
    lookup from the parent row to its program."""

    parent_program_path = "program"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        program_id = program_id_of(obj, self.parent_program_path)
        limit_choices(formset.form.base_fields, program_id, self.admin_site)
        return formset


class ReadOnlyAdmin(ProgramScopedAdmin):
    """For rows the services write and keep consistent (builds, versions, compliance runs):
    an operator may look and delete, never add or edit around those services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    program_path = "pk"
    list_display = ("name", "slug", "institution", "x_weeks", "y_weeks", "cohorts")
    search_fields = ("name", "slug")


@admin.register(Role)
class RoleAdmin(ProgramScopedAdmin):
    list_display = ("user", "program", "kind")
    list_filter = ("kind", "program")
    search_fields = ("user__email",)


@admin.register(Track)
class TrackAdmin(ProgramScopedAdmin):
    list_display = ("code", "name", "program", "ambulatory_min", "ambulatory_max")


@admin.register(AcademicYear)
class AcademicYearAdmin(ProgramScopedAdmin):
    list_display = ("name", "program", "start", "weeks")


class StaffingInline(ProgramScopedInline):
    model = StaffingRule
    extra = 0


@admin.register(Rotation)
class RotationAdmin(ProgramScopedAdmin):
    list_display = ("code", "name", "program", "setting", "phase", "intense")
    list_filter = ("setting", "phase")
    inlines = [StaffingInline]


class RequirementAdminForm(forms.ModelForm):
    """Checks the tracks and rotations chosen, which `Requirement.clean()` cannot see."""

    class Meta:
        model = Requirement
        fields = (
            "program",
            "all_tracks",
            "tracks",
            "pgy_levels",
            "rotations",
            "min_weeks",
            "max_weeks",
            "position",
        )

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        links = {name: cleaned.get(name) or () for name in ("tracks", "rotations")}
        try:
            require_rows_of_program(program.pk if program else None, **links)
        except forms.ValidationError as error:
            for field, errors in error.error_dict.items():
                self.add_error(field, errors)
        return cleaned


@admin.register(Requirement)
class RequirementAdmin(ProgramScopedAdmin):
    form = RequirementAdminForm
    list_display = ("__str__", "program", "min_weeks", "max_weeks")


@admin.register(Resident)
class ResidentAdmin(ProgramScopedAdmin):
    list_display = ("name", "external_id", "program", "pgy", "track", "cohort", "status")
    list_filter = ("pgy", "status")
    search_fields = ("name", "email", "external_id")
    list_select_related = ("program", "track")


@admin.register(ResidentRequest)
class ResidentRequestAdmin(ProgramScopedAdmin):
    program_path = "resident__program"
    list_display = ("resident", "kind", "status", "rotation", "weight")
    list_filter = ("kind", "status")


@admin.register(Faculty)
class FacultyAdmin(ProgramScopedAdmin):
    list_display = ("name", "program", "email", "mentor_capacity", "mentor_status")
    search_fields = ("name", "email")
