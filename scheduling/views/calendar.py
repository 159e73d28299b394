"""Personal iCal feeds behind a secret, revocable URL.

The feed holds one event per rotation run of every published schedule of every program the
person is a resident in, and their mentoring meetings (shared parts only).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programs.access import program_access, programs_for_user
from scheduling.models import CalendarFeed
from scheduling.services.calendar import calendar_feed_document, calendar_feed_rotate


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else None
    # webcal:// opens the calendar app's "subscribe" dialog on phones and desktops.
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    context = {"feed": feed, "feed_url": url, "webcal_url": webcal}
    # Not a program's page, but a person with one program keeps that program's navigation.
    programs = list(programs_for_user(request.user)[:2])
    if len(programs) == 1:
        context.update(program=programs[0], access=program_access(request.user, programs[0]))
    return render(request, "scheduling/calendar_settings.html", context)


@login_required
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """Create the user's feed URL, revoking the old one (a leaked URL stops working at once)."""
    revoke_only = request.POST.get("action") == "revoke"
    calendar_feed_rotate(user=request.user, create=not revoke_only)
    messages.success(
        request,
        "Your calendar link was revoked."
        if revoke_only
        else "Your new calendar link is ready; the old one no longer works.",
    )
    return redirect("calendar_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal document of a live feed; 404 for unknown or revoked tokens (no sign-in: the
    secret URL is the credential, as calendar clients cannot sign in)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar.")
    body = calendar_feed_document(user=feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="residency.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
