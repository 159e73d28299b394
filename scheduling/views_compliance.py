"""Compliance pages (being built: dashboard, resident balance, coverage heatmap)."""

from django.http import HttpResponse


def dashboard(request, slug):
    return HttpResponse(status=501)


def resident_balance(request, slug, pk):
    return HttpResponse(status=501)


def heatmap(request, slug, year):
    return HttpResponse(status=501)
