from django import forms

from api.models import AccessToken
from api.services import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'on-call board sync'."
    )
    scope = forms.ChoiceField(
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        help_text="Read-only tokens cannot start builds or change anything.",
    )
    lifetime_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
    )
