"""Personal iCal feeds."""

from django.http import HttpResponse


def calendar_settings(request):
    return HttpResponse(status=501)


def calendar_feed(request, token):
    return HttpResponse(status=501)
