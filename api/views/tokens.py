"""The account page where a person makes, lists and revokes their API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from api.forms import AccessTokenForm
from api.models import AccessToken
from api.services import access_token_create, access_token_revoke


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; POST makes one and shows its secret on this response only."""
    form = AccessTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        made = access_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
        secret = made.secret
        form = AccessTokenForm()
    tokens = AccessToken.objects.filter(user=request.user).order_by("-created_at")
    context = {
        "form": form,
        "secret": secret,
        "tokens": tokens,
        "api_root": request.build_absolute_uri(reverse("api:program_list")),
    }
    response = render(request, "api/tokens.html", context)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    token = get_object_or_404(AccessToken, user=request.user, prefix=prefix)
    access_token_revoke(token=token)
    messages.success(request, f"The token '{token.name}' was revoked; it no longer works.")
    return redirect("api_tokens")
