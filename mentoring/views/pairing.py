"""Pairing pages for directors: propose, review (swap, lock, remove, assign), approve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentoring.access import mentoring_access, proposal_for_user, proposed_pair_for_user
from mentoring.forms import AssignForm, ProposeForm
from mentoring.selectors.pairing import proposal_page
from mentoring.services import pairing as pairing_services
from mentoring.views.home import page
from programs.access import Need
from programs.models import Resident


def _problems(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(slug: str, proposal_pk: int, anchor: str = "") -> HttpResponse:
    response = redirect("mentoring:proposal_detail", slug=slug, pk=proposal_pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Run the optimiser and open the new draft."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whom to pair: residents without a mentor, or everyone.")
        return redirect("mentoring:index", slug=slug)
    try:
        proposal = pairing_services.pairing_propose(
            program=access.program,
            by=request.user,
            scope=form.cleaned_data["scope"],
            keep_existing=form.cleaned_data["keep_existing"],
        )
    except ValidationError as error:
        # Everyone has a mentor and current pairs are kept: guide rather than draft nothing.
        messages.info(request, _problems(error))
        return redirect(reverse("mentoring:index", args=[slug]) + "?propose=all#propose")
    return redirect("mentoring:proposal_detail", slug=slug, pk=proposal.pk)


@login_required
def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The pairs with score and reasons, mentors' load against capacity, and leftovers."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    proposal = proposal_for_user(access, pk)
    return page(
        request,
        "mentoring/proposal_detail.html",
        access,
        tab="pairing",
        proposal=proposal,
        is_draft=proposal.status == proposal.Status.DRAFT,
        **proposal_page(proposal=proposal),
    )


@login_required
@require_POST
def pair_swap(request: HttpRequest, slug: str, pk: int, pair_pk: int) -> HttpResponse:
    """Give a pair's resident another mentor; the pair is re-scored."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    pair = proposed_pair_for_user(access, pk, pair_pk)
    form = AssignForm(request.POST, program=access.program)
    if not form.is_valid():
        messages.error(request, "Choose a mentor of this program.")
        return _back(slug, pk)
    try:
        pair = pairing_services.proposed_pair_assign(
            proposal=pair.proposal,
            resident=pair.resident,
            mentor=form.cleaned_data["mentor"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _problems(error))
    else:
        messages.success(
            request,
            f"{pair.resident.name} now with {pair.mentor.name}: score {pair.score} "
            f"({'; '.join(pair.reasons[1:])}).",
        )
    return _back(slug, pk, f"pair-{pair.pk}")


@login_required
@require_POST
def leftover_assign(request: HttpRequest, slug: str, pk: int, resident_pk: int) -> HttpResponse:
    """Pair a leftover resident of the proposal by hand."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    proposal = proposal_for_user(access, pk)
    resident = Resident.objects.filter(program=access.program, pk=resident_pk).first()
    if resident is None or resident_pk not in {int(row[0]) for row in proposal.unpaired}:
        messages.error(request, "That resident is not among this proposal's leftovers.")
        return _back(slug, pk)
    form = AssignForm(request.POST, program=access.program)
    if not form.is_valid():
        messages.error(request, "Choose a mentor of this program.")
        return _back(slug, pk)
    try:
        pair = pairing_services.proposed_pair_assign(
            proposal=proposal,
            resident=resident,
            mentor=form.cleaned_data["mentor"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _problems(error))
        return _back(slug, pk)
    messages.success(
        request, f"{resident.name} paired with {pair.mentor.name} (score {pair.score})."
    )
    return _back(slug, pk, f"pair-{pair.pk}")


@login_required
@require_POST
def pair_lock(request: HttpRequest, slug: str, pk: int, pair_pk: int) -> HttpResponse:
    access = mentoring_access(request.user, slug, Need.MANAGE)
    pair = proposed_pair_for_user(access, pk, pair_pk)
    try:
        pairing_services.proposed_pair_lock(
            pair=pair, locked=request.POST.get("locked") == "1", by=request.user
        )
    except ValidationError as error:
        messages.error(request, _problems(error))
    return _back(slug, pk, f"pair-{pair.pk}")


@login_required
@require_POST
def pair_remove(request: HttpRequest, slug: str, pk: int, pair_pk: int) -> HttpResponse:
    access = mentoring_access(request.user, slug, Need.MANAGE)
    pair = proposed_pair_for_user(access, pk, pair_pk)
    try:
        pairing_services.proposed_pair_remove(pair=pair, by=request.user)
    except ValidationError as error:
        messages.error(request, _problems(error))
    else:
        messages.info(request, f"{pair.resident.name} moved to the leftovers.")
    return _back(slug, pk)


@login_required
@require_POST
def proposal_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Approve the draft (all-or-nothing); on refusal, every reason is shown."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    proposal = proposal_for_user(access, pk)
    try:
        created = pairing_services.pairing_approve(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, _problems(error))
        return _back(slug, pk)
    messages.success(
        request,
        f"{proposal.label} approved: {len(created)} new mentorship"
        f"{'' if len(created) == 1 else 's'} started.",
    )
    return redirect("mentoring:index", slug=slug)


@login_required
@require_POST
def proposal_discard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = mentoring_access(request.user, slug, Need.MANAGE)
    proposal = proposal_for_user(access, pk)
    try:
        pairing_services.pairing_discard(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, _problems(error))
        return _back(slug, pk)
    messages.info(request, f"{proposal.label} discarded.")
    return redirect("mentoring:index", slug=slug)


@login_required
@require_POST
def proposal_repropose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Propose again, keeping the locked pairs of this draft."""
    access = mentoring_access(request.user, slug, Need.MANAGE)
    proposal = proposal_for_user(access, pk)
    try:
        new = pairing_services.pairing_repropose(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, _problems(error))
        return _back(slug, pk)
    messages.info(
        request,
        f"A new proposal replaces the {proposal.label.lower()}; locked pairs kept.",
    )
    return redirect("mentoring:proposal_detail", slug=slug, pk=new.pk)
