"""Writes for mentor pairing: propose, adjust, approve.

A proposal is a draft the director reviews: they may give a resident another mentor
(re-scored with `pair_score`), lock a pair (it stays when the rest is re-proposed, and cannot
be changed until unlocked), remove a pair, and approve. Approval is all-or-nothing: it ends
the mentorships it replaces (history is kept, with the reason) and starts the new ones, or
refuses with every reason and saves nothing.

Meetings, profiles and reminders have their own modules (`meetings`,
`profiles`, `reminders` in this package).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import Mentorship, PairingProposal, ProposedPair
from mentoring.selectors.pairing import (
    pair_rescore,
    pairing_preview,
    residents_without_mentor_exist,
)
from programs.clock import program_today
from programs.models import Faculty, Program, Resident

SWAPPED = "chosen by the director"
REMOVED = "removed from the proposal by the director"


NOTHING_TO_PAIR = "No unpaired residents — propose for the whole program?"


def pairing_propose(
    *,
    program: Program,
    by,
    scope: str = PairingProposal.Scope.UNPAIRED,
    keep_existing: bool = True,
    locked: Mapping[int, int] | None = None,
) -> PairingProposal:
    """Run the optimiser on the program and store its proposal as a draft; return it.

    Earlier drafts of the program are discarded: one draft at a time, so that an approval
    always acts on the latest look at the program. `locked` (resident id -> faculty id)
    fixes pairs, as `pairing_repropose` does.
    """
    if scope not in PairingProposal.Scope.values:
        raise ValidationError({"scope": f"Unknown scope {scope!r}."})
    unpaired_only = scope == PairingProposal.Scope.UNPAIRED
    if unpaired_only and not locked and not residents_without_mentor_exist(program=program):
        # Nobody to pair: an empty draft would ask to "Approve 0 changes".
        raise ValidationError({"scope": NOTHING_TO_PAIR}, code="nothing_to_pair")
    result, candidates = pairing_preview(
        program=program, scope=scope, keep_existing=keep_existing, locked=locked
    )
    with transaction.atomic():
        PairingProposal.objects.filter(program=program, status=PairingProposal.Status.DRAFT).update(
            status=PairingProposal.Status.DISCARDED
        )
        proposal = PairingProposal(
            program=program,
            scope=scope,
            keep_existing=keep_existing,
            total_score=result.total_score,
            solver_status=result.solver_status,
            unpaired=[[int(rid), why] for rid, why in result.unpaired],
            created_by=by,
        )
        proposal.full_clean()
        proposal.save()
        ProposedPair.objects.bulk_create(
            ProposedPair(
                proposal=proposal,
                resident=candidates.residents[int(p.mentee_id)],
                mentor=candidates.faculty[int(p.mentor_id)],
                score=p.score,
                reasons=list(p.reasons),
                locked=p.locked,
                kept=p.kept,
            )
            for p in result.pairs
        )
    return proposal


def pairing_repropose(*, proposal: PairingProposal, by) -> PairingProposal:
    """Propose again with the same scope, keeping this draft's locked pairs; return the new
    draft (this one is discarded). Removed pairs may come back: lock what must stay."""
    _require_draft(proposal)
    locked = dict(proposal.pairs.filter(locked=True).values_list("resident_id", "mentor_id"))
    return pairing_propose(
        program=proposal.program,
        by=by,
        scope=proposal.scope,
        keep_existing=proposal.keep_existing,
        locked=locked,
    )


def _require_draft(proposal: PairingProposal) -> None:
    if proposal.status != PairingProposal.Status.DRAFT:
        raise ValidationError(
            f"{proposal.label} is {proposal.get_status_display().lower()}; "
            "only a draft can be changed."
        )


def _refresh_total(proposal: PairingProposal) -> None:
    proposal.total_score = sum(proposal.pairs.values_list("score", flat=True))
    proposal.save(update_fields=["total_score"])


def proposed_pair_assign(
    *, proposal: PairingProposal, resident: Resident, mentor: Faculty, by
) -> ProposedPair:
    """Give `resident` the mentor `mentor` in the draft (a swap, or a leftover resident
    paired by hand); return the pair, re-scored with `pair_score` and its new reasons.

    Refused for another program's resident or mentor, a mentor who is not active (unless
    they are the resident's current mentor) and a locked pair. Capacity is not checked
    here: the proposal page shows the load, and approval refuses a mentor over capacity.
    """
    _require_draft(proposal)
    if resident.program_id != proposal.program_id or mentor.program_id != proposal.program_id:
        raise ValidationError("A resident and a mentor can only be paired within one program.")
    current = (
        Mentorship.objects.filter(resident=resident, ended_on__isnull=True)
        .values_list("mentor_id", flat=True)
        .first()
    )
    if mentor.mentor_status != Faculty.MentorStatus.ACTIVE and mentor.pk != current:
        raise ValidationError(
            {
                "mentor": f"{mentor.name} is {mentor.get_mentor_status_display().lower()} "
                "and takes no new mentees."
            }
        )
    score, reasons = pair_rescore(resident=resident, faculty=mentor)
    with transaction.atomic():
        pair = (
            ProposedPair.objects.select_for_update()
            .filter(proposal=proposal, resident=resident)
            .first()
        )
        if pair is not None and pair.locked:
            raise ValidationError(f"The pair of {resident.name} is locked: unlock it first.")
        if pair is None:
            pair = ProposedPair(proposal=proposal, resident=resident)
            proposal.unpaired = [row for row in proposal.unpaired if int(row[0]) != resident.pk]
            proposal.save(update_fields=["unpaired"])
        pair.mentor = mentor
        pair.score = score
        pair.reasons = [SWAPPED, *reasons]
        pair.kept = mentor.pk == current
        pair.full_clean()
        pair.save()
        _refresh_total(proposal)
    return pair


def proposed_pair_lock(*, pair: ProposedPair, locked: bool, by) -> ProposedPair:
    """Lock or unlock a pair of a draft; return it."""
    _require_draft(pair.proposal)
    pair.locked = locked
    pair.save(update_fields=["locked"])
    return pair


def proposed_pair_remove(*, pair: ProposedPair, by) -> None:
    """Take a pair out of a draft: the resident becomes a leftover of this proposal (their
    current mentorship, if any, is left as it is on approval)."""
    proposal = pair.proposal
    _require_draft(proposal)
    if pair.locked:
        raise ValidationError(f"The pair of {pair.resident.name} is locked: unlock it first.")
    with transaction.atomic():
        resident_id = pair.resident_id
        pair.delete()
        proposal.unpaired = [
            *[row for row in proposal.unpaired if int(row[0]) != resident_id],
            [resident_id, REMOVED],
        ]
        proposal.save(update_fields=["unpaired"])
        _refresh_total(proposal)


def pairing_discard(*, proposal: PairingProposal, by) -> PairingProposal:
    """Discard a draft; return it."""
    _require_draft(proposal)
    proposal.status = PairingProposal.Status.DISCARDED
    proposal.save(update_fields=["status"])
    return proposal


def _approval_problems(
    proposal: PairingProposal, pairs: list[ProposedPair], current: dict[int, int]
) -> list[str]:
    """Return why `pairs` cannot be approved, given `current` (resident id -> mentor id)."""
    problems = []
    for pair in pairs:
        if (
            pair.resident.program_id != proposal.program_id
            or pair.mentor.program_id != proposal.program_id
        ):
            problems.append(
                f"{pair.resident.name} and {pair.mentor.name} are not both in this program."
            )
    after = dict(current)
    for pair in pairs:
        after[pair.resident_id] = pair.mentor_id
    load = Counter(after.values())
    receiving: dict[int, Faculty] = {
        pair.mentor_id: pair.mentor
        for pair in pairs
        if current.get(pair.resident_id) != pair.mentor_id
    }
    for mentor in sorted(receiving.values(), key=lambda f: f.name):
        if load[mentor.pk] > mentor.mentor_capacity:
            problems.append(
                f"{mentor.name} would have {load[mentor.pk]} mentees for "
                f"{mentor.mentor_capacity} places."
            )
        if mentor.mentor_status != Faculty.MentorStatus.ACTIVE:
            problems.append(
                f"{mentor.name} is {mentor.get_mentor_status_display().lower()} "
                "and takes no new mentees."
            )
    return problems


def pairing_approve(*, proposal: PairingProposal, by) -> list[Mentorship]:
    """Approve a draft: end each mentorship it replaces (today, reason "re-paired by
    proposal #N") and start the new ones today; return the new mentorships.

    All-or-nothing: if a pair crosses programs, or a mentor who gets a new mentee would end
    above capacity or is not active, nothing is saved and a ValidationError lists every
    problem. A mentor already over capacity through kept pairs alone is not a problem.
    """
    today = program_today(proposal.program)
    reason = f"re-paired by the {proposal.label.lower()}"
    with transaction.atomic():
        claimed = PairingProposal.objects.filter(
            pk=proposal.pk, status=PairingProposal.Status.DRAFT
        ).update(status=PairingProposal.Status.APPROVED, approved_at=timezone.now())
        if not claimed:
            proposal.refresh_from_db(fields=["status"])
            _require_draft(proposal)
        pairs = list(proposal.pairs.select_related("resident", "mentor"))
        active = {
            m.resident_id: m
            for m in Mentorship.objects.select_for_update().filter(
                program=proposal.program, ended_on__isnull=True
            )
        }
        current = {rid: m.mentor_id for rid, m in active.items()}
        problems = _approval_problems(proposal, pairs, current)
        if problems:
            raise ValidationError(["Nothing was approved.", *problems])
        created = []
        for pair in pairs:
            old = active.get(pair.resident_id)
            if old is not None and old.mentor_id == pair.mentor_id:
                continue
            if old is not None:
                old.ended_on = today
                old.end_reason = reason
                old.full_clean()
                old.save(update_fields=["ended_on", "end_reason"])
            mentorship = Mentorship(
                program=proposal.program,
                mentor=pair.mentor,
                resident=pair.resident,
                started_on=today,
                created_by=by,
            )
            mentorship.full_clean()
            mentorship.save()
            created.append(mentorship)
    proposal.refresh_from_db(fields=["status", "approved_at"])
    return created
