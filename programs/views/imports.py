"""Bundle and roster imports in the web UI: upload, preview what will change, confirm.

An upload is checked and dry-run at once; the file's text then waits in the session under a
random token until the director confirms, and is checked again before it is imported, since
the program may have changed in between.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from programs.access import Need, program_for_user
from programs.bundle import BundleInvalid, bundle_json
from programs.services.imports import RosterInvalid, program_import_bundle, roster_import_csv

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_SESSION_KEY = "pending_imports"


class UploadForm(forms.Form):
    """One file, at most 5 MB (empty files are refused by the field itself)."""

    file = forms.FileField()

    def __init__(self, *args, label: str, help_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["file"].help_text = help_text

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(MAX_UPLOAD_BYTES)}."
            )
        return upload


def _bundle_form(data=None, files=None) -> UploadForm:
    return UploadForm(
        data,
        files,
        label="Bundle file (.json)",
        help_text="A residency-bundle/1 JSON file for this program, at most 5 MB.",
    )


def _roster_form(data=None, files=None) -> UploadForm:
    return UploadForm(
        data,
        files,
        label="Roster file (.csv)",
        help_text="Columns id, name, email, pgy, track and optionally cohort; UTF-8; at most 5 MB.",
    )


def _stash(request: HttpRequest, *, kind: str, slug: str, text: str) -> str:
    """Keeps `text` in the session until confirmed; one pending upload per kind and program."""
    token = secrets.token_urlsafe(16)
    pending = {
        key: entry
        for key, entry in request.session.get(_SESSION_KEY, {}).items()
        if (entry["kind"], entry["slug"]) != (kind, slug)
    }
    pending[token] = {"kind": kind, "slug": slug, "text": text}
    request.session[_SESSION_KEY] = pending
    return token


def _stashed(request: HttpRequest, *, kind: str, slug: str, token: str) -> str | None:
    entry = request.session.get(_SESSION_KEY, {}).get(token)
    if entry is None or (entry["kind"], entry["slug"]) != (kind, slug):
        return None
    return entry["text"]


def _unstash(request: HttpRequest, token: str) -> None:
    pending = dict(request.session.get(_SESSION_KEY, {}))
    pending.pop(token, None)
    request.session[_SESSION_KEY] = pending


@login_required
@require_http_methods(["GET", "POST"])
def bundle_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a bundle for this program; a good one is previewed, a bad one lists problems."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    form = _bundle_form(request.POST, request.FILES) if request.method == "POST" else _bundle_form()
    problems = []
    if form.is_bound and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            program_import_bundle(raw=raw, program=program, dry_run=True)
        except BundleInvalid as error:
            problems = error.problems
            form.add_error("file", _problem_count(len(problems)))
        else:
            token = _stash(request, kind="bundle", slug=slug, text=raw.decode("utf-8-sig"))
            return redirect("programs:bundle_confirm", slug=slug, token=token)
    context = {"program": program, "access": access, "form": form, "problems": problems}
    return render(request, "programs/import_bundle.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bundle_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET: what the uploaded bundle will change. POST: import it."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    text = _stashed(request, kind="bundle", slug=slug, token=token)
    if text is None:
        messages.error(request, "That upload has expired or was already imported; upload it again.")
        return redirect("programs:bundle_upload", slug=slug)
    confirming = request.method == "POST"
    try:
        summary = program_import_bundle(
            raw=text, program=program, dry_run=not confirming, by=request.user
        )
    except BundleInvalid as error:
        _unstash(request, token)  # The program changed since the preview: upload again.
        context = {
            "program": program,
            "access": access,
            "form": _bundle_form(),
            "problems": error.problems,
        }
        return render(request, "programs/import_bundle.html", context)
    if confirming:
        _unstash(request, token)
        messages.success(
            request,
            f"Bundle imported: {summary.created} created, {summary.updated} updated, "
            f"{summary.removed} removed.",
        )
        return redirect("programs:overview", slug=slug)
    context = {
        "program": program,
        "access": access,
        "title": "Review the bundle import",
        "rows": summary.rows(),
        "changed": summary.changed,
        "confirm_url": reverse("programs:bundle_confirm", args=[slug, token]),
        "cancel_url": reverse("programs:bundle_upload", args=[slug]),
        "token": token,
        "note": "Residents, faculty, tracks and academic years the bundle does not list are "
        "kept. Rotations, requirements and requests it no longer lists are removed.",
    }
    return render(request, "programs/import_preview.html", context)


@login_required
@require_GET
def bundle_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's bundle as a JSON attachment."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    response = HttpResponse(
        bundle_json(program=access.program), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{access.program.slug}-bundle.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a roster CSV (preview), then POST its token back to confirm."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    token = request.POST.get("token") if request.method == "POST" else None
    if token:
        return _roster_confirm(request, access=access, token=token)
    form = _roster_form(request.POST, request.FILES) if request.method == "POST" else _roster_form()
    errors: list[str] = []
    if form.is_bound and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            result = roster_import_csv(program=program, file=raw, dry_run=True)
        except RosterInvalid as error:
            errors = error.errors
            form.add_error("file", _problem_count(len(errors), noun="error"))
        else:
            token = _stash(request, kind="roster", slug=slug, text=raw.decode("utf-8-sig"))
            return render(
                request, "programs/import_preview.html", _roster_preview(access, result, token)
            )
    context = {"program": program, "access": access, "form": form, "errors": errors}
    return render(request, "programs/import_roster.html", context)


def _roster_confirm(request: HttpRequest, *, access, token: str) -> HttpResponse:
    program = access.program
    text = _stashed(request, kind="roster", slug=program.slug, token=token)
    if text is None:
        messages.error(request, "That upload has expired or was already imported; upload it again.")
        return redirect("programs:roster_upload", slug=program.slug)
    _unstash(request, token)
    try:
        result = roster_import_csv(program=program, file=text)
    except RosterInvalid as error:
        context = {
            "program": program,
            "access": access,
            "form": _roster_form(),
            "errors": error.errors,
        }
        return render(request, "programs/import_roster.html", context)
    messages.success(
        request,
        f"Roster imported: {len(result.created)} residents added, {len(result.updated)} updated.",
    )
    return redirect("programs:roster", slug=program.slug)


def _roster_preview(access, result, token: str) -> dict:
    slug = access.program.slug
    return {
        "program": access.program,
        "access": access,
        "title": "Review the roster import",
        "rows": [("Residents", result)],
        "changed": result.changed,
        "confirm_url": reverse("programs:roster_upload", args=[slug]),
        "cancel_url": reverse("programs:roster_upload", args=[slug]),
        "token": token,
        "note": "Residents the file does not list are kept as they are.",
    }


def _problem_count(count: int, *, noun: str = "problem") -> str:
    plural = noun if count == 1 else f"{noun}s"
    return f"The file has {count} {plural}, listed below; nothing was imported."
