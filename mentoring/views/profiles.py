"""Profile pages: a mentor's profile, a resident's goals, interests and preferences.
Each person edits their own; the program's managers may edit anyone's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mentoring.access import mentor_profile_for_user, mentoring_access, resident_profile_for_user
from mentoring.forms import MentorProfileForm, ResidentProfileForm
from mentoring.models import MentorPreference, Mentorship
from mentoring.services.profiles import mentor_profile_update, resident_profile_update
from mentoring.views.home import apply_errors, page


@login_required
def mentor_profile(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = mentoring_access(request.user, slug)
    faculty = mentor_profile_for_user(access, pk)
    own = access.faculty is not None and access.faculty.pk == faculty.pk
    if request.method == "POST":
        form = MentorProfileForm(request.POST)
        if form.is_valid():
            try:
                mentor_profile_update(
                    faculty=faculty,
                    by=request.user,
                    interests=form.interests_list(),
                    clinical_area=form.cleaned_data["clinical_area"],
                    mentor_capacity=form.cleaned_data["mentor_capacity"],
                    availability=form.cleaned_data["availability"],
                    mentor_status=form.cleaned_data["mentor_status"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Mentor profile of {faculty.name} saved.")
                load = Mentorship.objects.filter(mentor=faculty, ended_on__isnull=True).count()
                if load > faculty.mentor_capacity:
                    messages.warning(
                        request,
                        f"{faculty.name} has {load} mentees for {faculty.mentor_capacity} "
                        "places: current mentorships go on, but no new mentee will be proposed.",
                    )
                return redirect("mentoring:index", slug=slug)
    else:
        form = MentorProfileForm(initial=MentorProfileForm.initial_for(faculty))
    return page(
        request,
        "mentoring/mentor_profile.html",
        access,
        tab="mentor" if own else "program",
        faculty=faculty,
        own=own,
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def resident_profile(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = mentoring_access(request.user, slug)
    resident = resident_profile_for_user(access, pk)
    own = access.resident is not None and access.resident.pk == resident.pk
    if request.method == "POST":
        form = ResidentProfileForm(request.POST, program=access.program)
        if form.is_valid():
            try:
                resident_profile_update(
                    resident=resident,
                    by=request.user,
                    career_goals=form.goals_list(),
                    interests=form.interests_list(),
                    preferences=form.preferences(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Profile saved.")
                return redirect("mentoring:index", slug=slug)
    else:
        preferences = MentorPreference.objects.filter(resident=resident)
        form = ResidentProfileForm(
            initial=ResidentProfileForm.initial_for(resident, preferences), program=access.program
        )
    return page(
        request,
        "mentoring/resident_profile.html",
        access,
        tab="resident" if own else "program",
        resident=resident,
        own=own,
        form=form,
        status=400 if request.method == "POST" else 200,
    )
