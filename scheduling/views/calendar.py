"""iCal feeds behind secret, revocable URLs, and the page where a person gets them.

A person's own feed holds one event per rotation run of every published schedule of every
program they are a resident in, and their mentoring meetings (shared parts only). A mentor
may also have a feed of their meetings in a program (timed, in the program's time zone), and
anyone who sees a program's roster a feed per service (who is on ICU, week by week).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programs.access import Need, program_access, program_for_user, programs_for_user
from programs.models import Faculty, Rotation
from scheduling.access import calendar_feed_live
from scheduling.models import CalendarFeed
from scheduling.selectors_residents import calendar_feed_choices
from scheduling.services.calendar import (
    calendar_feed_document,
    calendar_feed_issue,
    calendar_feed_revoke,
    mentor_feed_document,
    service_feed_document,
)


def _links(request: HttpRequest, feed: CalendarFeed | None) -> dict:
    """The feed's https URL and its webcal:// twin (which opens the calendar app's
    "subscribe" dialog on phones and desktops)."""
    if feed is None:
        return {"url": None, "webcal": None}
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(
        user=request.user, kind=CalendarFeed.Kind.PERSONAL, revoked_at__isnull=True
    ).first()
    links = _links(request, feed)
    programs = []
    for choice in calendar_feed_choices(user=request.user):
        services = {feed.rotation_id: feed for feed in choice.service_feeds}
        programs.append(
            {
                "choice": choice,
                "mentor": _links(request, choice.mentor_feed) if choice.mentors else None,
                "services": [
                    {"rotation": rotation, **_links(request, services.get(rotation.pk))}
                    for rotation in choice.rotations
                ],
            }
        )
    context = {
        "feed": feed,
        "feed_url": links["url"],
        "webcal_url": links["webcal"],
        "programs": programs,
    }
    # Not a program's page, but a person with one program keeps that program's navigation.
    mine = list(programs_for_user(request.user)[:2])
    if len(mine) == 1:
        context.update(program=mine[0], access=program_access(request.user, mine[0]))
    return render(request, "scheduling/calendar_settings.html", context)


def _scope(request: HttpRequest, kind: str) -> dict:
    """The program (and rotation) a mentor or service feed is for, as the form names them,
    checked with the access helpers: 404 outside the program, 403 without the right."""
    slug = request.POST.get("program", "")
    if kind == CalendarFeed.Kind.MENTOR:
        access = program_for_user(request.user, slug, Need.VIEW)
        if not Faculty.objects.filter(program=access.program, user=request.user).exists():
            raise PermissionDenied("Only the program's faculty mentors have a meetings feed.")
        return {"program": access.program}
    access = program_for_user(request.user, slug, Need.SEE_ROSTER)
    code = request.POST.get("rotation", "")
    rotation = Rotation.objects.filter(program=access.program, code=code).first()
    if rotation is None:
        raise Http404("No such rotation.")
    return {"program": access.program, "rotation": rotation}


@login_required
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """Create a feed URL, revoking the old one of the same kind (a leaked URL stops working
    at once), or only revoke it (`action=revoke`). `kind` is personal (the default), mentor
    (with `program`) or service (with `program` and `rotation`)."""
    kind = request.POST.get("kind") or CalendarFeed.Kind.PERSONAL
    if kind not in CalendarFeed.Kind.values:
        messages.error(request, "Choose a kind of calendar.")
        return redirect("calendar_settings")
    scope = {} if kind == CalendarFeed.Kind.PERSONAL else _scope(request, kind)
    if request.POST.get("action") == "revoke":
        calendar_feed_revoke(user=request.user, kind=kind, **scope)
        messages.success(request, "The calendar link was revoked.")
    else:
        calendar_feed_issue(user=request.user, kind=kind, **scope)
        messages.success(request, "Your new calendar link is ready; the old one no longer works.")
    return redirect("calendar_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal document of a live feed; 404 for unknown or revoked tokens, and for a feed
    whose owner may no longer see what it shows (no sign-in: the secret URL is the
    credential, as calendar clients cannot sign in)."""
    feed = calendar_feed_live(token)
    if feed.kind == CalendarFeed.Kind.MENTOR:
        body = mentor_feed_document(user=feed.user, program=feed.program)
        filename = f"{feed.program.slug}-mentoring.ics"
    elif feed.kind == CalendarFeed.Kind.SERVICE:
        body = service_feed_document(rotation=feed.rotation)
        filename = f"{feed.program.slug}-service.ics"
    else:
        body = calendar_feed_document(user=feed.user)
        filename = "residency.ics"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
