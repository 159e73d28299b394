"""The academic-year roll-over page: a preview of who graduates and who moves up, then a
confirm button. Managers only (directors, associate directors, coordinators)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from programs.access import Need, program_for_user
from programs.services.rollover import academic_year_rollover, rollover_plan
from programs.validators import validate_sane_date


class RolloverForm(forms.Form):
    """The confirm form; its values are also the preview's (GET) parameters."""

    start = forms.DateField(
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
        help_text="Leave empty for the Monday after the current year ends.",
    )
    weeks = forms.IntegerField(
        min_value=1,
        max_value=53,
        initial=52,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    confirm = forms.BooleanField(
        required=True, label="I have checked the list: graduate and promote these residents."
    )


@login_required
def rollover(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the preview (who graduates, who moves up). POST: the roll-over, then the overview."""
    access = program_for_user(request.user, slug, Need.MANAGE)
    program = access.program
    form = RolloverForm(request.POST or None, initial={"weeks": 52})
    if request.method == "POST" and form.is_valid():
        try:
            year = academic_year_rollover(
                program=program,
                by=request.user,
                start=form.cleaned_data["start"],
                weeks=form.cleaned_data["weeks"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("programs:rollover", slug=slug)
        messages.success(
            request,
            f"{year.name} is open: {year.start:%d %b %Y} to {year.end:%d %b %Y}. Import the new "
            "intern class with the roster CSV, then build the year's schedule.",
        )
        return redirect("programs:overview", slug=slug)
    posted = getattr(form, "cleaned_data", {}) if form.is_bound else {}
    plan, problem = None, ""
    try:
        plan = rollover_plan(
            program=program, start=posted.get("start"), weeks=posted.get("weeks") or 52
        )
    except ValidationError as error:
        problem = " ".join(error.messages)
    return render(
        request,
        "programs/rollover.html",
        {"program": program, "access": access, "form": form, "plan": plan, "problem": problem},
    )
