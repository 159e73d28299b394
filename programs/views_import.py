"""Bundle and roster imports in the web UI (upload, preview, confirm)."""

from django.http import HttpResponse


def bundle_upload(request, slug):
    return HttpResponse(status=501)


bundle_confirm = bundle_download = roster_upload = bundle_upload
