"""Admin for mentoring, for site operators (`residency.admin`); the choices on a row's page
are its program's (`programs.admin.ProgramScopedAdmin`).

Nobody sees meeting content here: the Meeting admin never shows, searches or filters on the
mentor's private notes, the goals discussed or the resident's reflection, nor the action
items on their description (the director's "metadata only" rule, see `mentoring.access`;
`residency.admin.SecretFieldsAdmin`).
"""

from django.contrib import admin

from mentoring.models import (
    ActionItem,
    Meeting,
    MentorPreference,
    Mentorship,
    PairingProposal,
    ProposedPair,
)
from programs.admin import ProgramScopedAdmin, ProgramScopedInline
from residency.admin import SecretFieldsAdmin

#: Meeting fields the admin never shows, in forms or lists.
MEETING_PRIVATE_FIELDS = ("private_notes", "goals_discussed", "resident_reflection")


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


class ProposedPairInline(ProgramScopedInline):
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
