"""Admin for mentoring. Staff see only the programs where they hold a role (superusers see
all), and nobody sees meeting content there: the Meeting admin never shows, searches or
filters on the mentor's private notes, the goals discussed or the resident's reflection, nor
the action items on their description (the director's "metadata only" rule, see
`mentoring.access`; `residency.admin.SecretFieldsAdmin`)."""

from django.contrib import admin

from mentoring.models import (
    ActionItem,
    Meeting,
    MentorPreference,
    Mentorship,
    PairingProposal,
    ProposedPair,
)
from programs.models import Faculty, Program, Resident, Role
from residency.admin import SecretFieldsAdmin

#: Meeting fields the admin never shows, in forms or lists.
MEETING_PRIVATE_FIELDS = ("private_notes", "goals_discussed", "resident_reflection")


def staff_program_ids(user):
    """The ids of the programs whose mentoring data `user` may see in the admin."""
    return Role.objects.filter(user=user).values("program_id")


class ProgramScopedAdmin(admin.ModelAdmin):
    """Limit the list, the object pages and the foreign-key choices to the staff user's
    programs. `program_path` is the lookup from the model to its program."""

    program_path = "program"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.program_path}__in": staff_program_ids(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None:
            return field
        model = db_field.related_model
        mine = staff_program_ids(request.user)
        if model is Program:
            field.queryset = field.queryset.filter(pk__in=mine)
        elif model in (Faculty, Resident, Mentorship, PairingProposal):
            field.queryset = field.queryset.filter(program__in=mine)
        elif model is Meeting:
            field.queryset = field.queryset.filter(mentorship__program__in=mine)
        return field


@admin.register(Mentorship)
class MentorshipAdmin(ProgramScopedAdmin):
    list_display = ("resident", "mentor", "program", "started_on", "ended_on", "end_reason")
    list_filter = ("program", "ended_on")
    search_fields = ("resident__name", "mentor__name")
    list_select_related = ("resident", "mentor", "program")
    readonly_fields = ("last_reminder_sent_at",)


@admin.register(Meeting)
class MeetingAdmin(SecretFieldsAdmin, ProgramScopedAdmin):
    program_path = "mentorship__program"
    secret_fields = MEETING_PRIVATE_FIELDS
    list_display = (
        "occurred_on",
        "mentorship",
        "kind",
        "format",
        "duration_minutes",
        "resident_confirmed_at",
    )
    list_filter = ("kind", "format", "mentorship__program")
    list_select_related = ("mentorship__mentor", "mentorship__resident")
    search_fields = ("mentorship__resident__name", "mentorship__mentor__name")


@admin.register(ActionItem)
class ActionItemAdmin(SecretFieldsAdmin, ProgramScopedAdmin):
    program_path = "meeting__mentorship__program"
    secret_fields = ("description",)
    list_display = ("meeting", "owner", "due_on", "done_at")
    list_filter = ("owner",)
    list_select_related = ("meeting",)


@admin.register(MentorPreference)
class MentorPreferenceAdmin(ProgramScopedAdmin):
    program_path = "resident__program"
    list_display = ("resident", "rank", "faculty")
    list_select_related = ("resident", "faculty")


class ProposedPairInline(admin.TabularInline):
    model = ProposedPair
    extra = 0
    fields = ("resident", "mentor", "score", "reasons", "locked", "kept")
    raw_id_fields = ("resident", "mentor")


@admin.register(PairingProposal)
class PairingProposalAdmin(ProgramScopedAdmin):
    list_display = ("pk", "program", "status", "scope", "total_score", "created_at")
    list_filter = ("status", "program")
    inlines = [ProposedPairInline]
    readonly_fields = ("created_at", "approved_at")
