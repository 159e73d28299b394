from django import forms
from django.contrib.auth import password_validation

from programs.validators import validate_printable


class InvitationAcceptForm(forms.Form):
    """Sets the new person's name and password; existing accounts only confirm."""

    name = forms.CharField(max_length=200, validators=[validate_printable])
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput)

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
