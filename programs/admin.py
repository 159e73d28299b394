"""Django admin for staff. Non-superuser staff see only the programs they hold a role in."""

from django.contrib import admin

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


class ProgramScopedAdmin(admin.ModelAdmin):
    """Limits every list, form and lookup to programs where the staff user holds a role."""

    program_path = "program"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.program_path}__roles__user": request.user}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and hasattr(field.queryset.model, "program"):
            field.queryset = field.queryset.filter(program__roles__user=request.user).distinct()
        elif not request.user.is_superuser and field.queryset.model is Program:
            field.queryset = field.queryset.filter(roles__user=request.user).distinct()
        return field


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    program_path = "pk"
    list_display = ("name", "slug", "institution", "x_weeks", "y_weeks", "cohorts")
    search_fields = ("name", "slug")

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(roles__user=request.user).distinct()


@admin.register(Role)
class RoleAdmin(ProgramScopedAdmin):
    list_display = ("user", "program", "kind")
    list_filter = ("kind",)
    search_fields = ("user__email",)


@admin.register(Track)
class TrackAdmin(ProgramScopedAdmin):
    list_display = ("code", "name", "program", "ambulatory_min", "ambulatory_max")


@admin.register(AcademicYear)
class AcademicYearAdmin(ProgramScopedAdmin):
    list_display = ("name", "program", "start", "weeks")


class StaffingInline(admin.TabularInline):
    model = StaffingRule
    extra = 0


@admin.register(Rotation)
class RotationAdmin(ProgramScopedAdmin):
    list_display = ("code", "name", "program", "setting", "phase", "intense")
    list_filter = ("setting", "phase")
    inlines = [StaffingInline]


@admin.register(Requirement)
class RequirementAdmin(ProgramScopedAdmin):
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
