from django import forms

from programs.models import Faculty, Program, Resident, Role


class InviteForm(forms.Form):
    """Invite a person into the program, optionally linking them to their roster record."""

    email = forms.EmailField()
    # Most invitations are for residents: the default (issue #13), not "Program director".
    role = forms.ChoiceField(choices=Role.Kind.choices, initial=Role.Kind.RESIDENT)
    resident = forms.ModelChoiceField(queryset=Resident.objects.none(), required=False)
    faculty = forms.ModelChoiceField(queryset=Faculty.objects.none(), required=False)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.filter(
            program=program, user__isnull=True
        ).order_by("name")
        self.fields["faculty"].queryset = Faculty.objects.filter(
            program=program, user__isnull=True
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.Kind.RESIDENT and not cleaned.get("resident"):
            self.add_error("resident", "Choose the resident's roster record.")
        if role == Role.Kind.FACULTY and not cleaned.get("faculty"):
            self.add_error("faculty", "Choose the faculty member's record.")
        return cleaned
