"""Reads for mentor pairing: the optimiser's input built from the database, and the
proposal page.

The optimiser (`mentoring.pairing`) takes plain candidates with string ids; here a resident
becomes `MenteeCandidate(id=str(resident.pk))` and a faculty member
`MentorCandidate(id=str(faculty.pk))`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch

from mentoring.models import MentorPreference, Mentorship, PairingProposal, ProposedPair
from mentoring.pairing import (
    MenteeCandidate,
    MentorCandidate,
    PairingOptions,
    Proposal,
    pair_score,
    propose_pairs,
)
from mentoring.selectors.mentorships import MENTORED_STATUSES
from programs.models import Faculty, Program, Resident


@dataclass(frozen=True)
class PairingInput:
    """The optimiser's candidates and the rows they came from, keyed by primary key."""

    mentees: list[MenteeCandidate]
    mentors: list[MentorCandidate]
    residents: dict[int, Resident] = field(default_factory=dict)
    faculty: dict[int, Faculty] = field(default_factory=dict)


def mentee_candidate(
    resident: Resident, ranked: list[int], current_mentor_id: int | None
) -> MenteeCandidate:
    """Return `resident` as the optimiser sees them; `ranked` lists faculty ids, first first."""
    return MenteeCandidate(
        id=str(resident.pk),
        name=resident.name,
        pgy=resident.pgy,
        track=resident.track.name,
        goals=frozenset(resident.career_goals or []),
        interests=frozenset(resident.interests or []),
        ranked_mentor_ids=tuple(str(pk) for pk in ranked),
        current_mentor_id=str(current_mentor_id) if current_mentor_id else None,
    )


def mentor_candidate(faculty: Faculty, current: list[tuple[int, int]]) -> MentorCandidate:
    """Return `faculty` as the optimiser sees them; `current` holds (resident id, PGY) of
    their current mentees. Only an *active* mentor takes new mentees."""
    return MentorCandidate(
        id=str(faculty.pk),
        name=faculty.name,
        interests=frozenset(faculty.interests or []),
        clinical_area=faculty.clinical_area,
        capacity=faculty.mentor_capacity,
        active=faculty.mentor_status == Faculty.MentorStatus.ACTIVE,
        current_mentee_ids=frozenset(str(pk) for pk, _ in current),
        current_mentee_classes=dict(Counter(pgy for _, pgy in current)),
    )


def pairing_candidates(*, program: Program, scope: str = "unpaired") -> PairingInput:
    """Return the program's residents to pair and all its faculty as candidates, in four
    queries whatever the program's size.

    `scope="unpaired"`: residents without a current mentor; `"all"`: every resident who can
    be mentored (active or on leave). Every faculty member is a candidate mentor; those not
    active get no new mentees but their current ones count.
    """
    current = list(
        Mentorship.objects.filter(program=program, ended_on__isnull=True).values_list(
            "resident_id", "mentor_id", "resident__pgy"
        )
    )
    mentor_of = {resident_id: mentor_id for resident_id, mentor_id, _ in current}
    mentees_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for resident_id, mentor_id, pgy in current:
        mentees_of[mentor_id].append((resident_id, pgy))

    residents = (
        Resident.objects.filter(program=program, status__in=MENTORED_STATUSES)
        .select_related("track")
        .prefetch_related(
            Prefetch("mentor_preferences", queryset=MentorPreference.objects.order_by("rank"))
        )
        .order_by("pk")
    )
    if scope == "unpaired":
        residents = residents.exclude(pk__in=list(mentor_of))
    residents = list(residents)
    faculty = list(Faculty.objects.for_program(program).order_by("pk"))
    return PairingInput(
        mentees=[
            mentee_candidate(
                r, [p.faculty_id for p in r.mentor_preferences.all()], mentor_of.get(r.pk)
            )
            for r in residents
        ],
        mentors=[mentor_candidate(f, mentees_of[f.pk]) for f in faculty],
        residents={r.pk: r for r in residents},
        faculty={f.pk: f for f in faculty},
    )


def pairing_preview(
    *,
    program: Program,
    scope: str = "unpaired",
    keep_existing: bool = True,
    locked: Mapping[int, int] | None = None,
) -> tuple[Proposal, PairingInput]:
    """Return the optimiser's proposal for the program, without saving anything.

    `locked` maps resident id -> faculty id of pairs the director fixed; locks on residents
    no longer in scope are dropped.
    """
    candidates = pairing_candidates(program=program, scope=scope)
    locked = {
        str(resident_id): str(faculty_id)
        for resident_id, faculty_id in (locked or {}).items()
        if resident_id in candidates.residents and faculty_id in candidates.faculty
    }
    options = PairingOptions(keep_existing=keep_existing, locked=locked)
    return propose_pairs(candidates.mentees, candidates.mentors, options), candidates


def pair_rescore(*, resident: Resident, faculty: Faculty) -> tuple[int, list[str]]:
    """Return (score, reasons) of pairing `resident` with `faculty`, as the optimiser would
    score it with today's profiles, preferences and current pairs. Two queries."""
    ranked = list(
        MentorPreference.objects.filter(resident=resident)
        .order_by("rank")
        .values_list("faculty_id", flat=True)
    )
    current = (
        Mentorship.objects.filter(resident=resident, ended_on__isnull=True)
        .values_list("mentor_id", flat=True)
        .first()
    )
    return pair_score(mentee_candidate(resident, ranked, current), mentor_candidate(faculty, []))


@dataclass(frozen=True)
class PairRow:
    pair: ProposedPair
    current_mentor: Faculty | None

    @property
    def change(self) -> str:
        """'kept', 'new' (the resident has no mentor) or 'replaces' (another mentor)."""
        if self.current_mentor is None:
            return "new"
        return "kept" if self.current_mentor.pk == self.pair.mentor_id else "replaces"


@dataclass(frozen=True)
class MentorProjection:
    faculty: Faculty
    load_now: int
    load_after: int
    new_mentees: int

    @property
    def over_capacity(self) -> bool:
        return self.new_mentees > 0 and self.load_after > self.faculty.mentor_capacity


def proposal_page(*, proposal: PairingProposal) -> dict:
    """Return the proposal's pairs (with the mentor each would replace), each mentor's load
    now and after approval against capacity, and the leftover residents with the reason.
    Four queries whatever the proposal's size."""
    program = proposal.program
    pairs = list(
        proposal.pairs.select_related("resident__track", "mentor").order_by(
            "mentor__name", "resident__name"
        )
    )
    faculty = {f.pk: f for f in Faculty.objects.for_program(program).order_by("name")}
    current = dict(
        Mentorship.objects.filter(program=program, ended_on__isnull=True).values_list(
            "resident_id", "mentor_id"
        )
    )
    after = dict(current)
    for pair in pairs:
        after[pair.resident_id] = pair.mentor_id
    load_now, load_after = Counter(current.values()), Counter(after.values())
    new = Counter(p.mentor_id for p in pairs if current.get(p.resident_id) != p.mentor_id)
    leftover_ids = [int(row[0]) for row in proposal.unpaired]
    leftover_residents = Resident.objects.select_related("track").in_bulk(leftover_ids)
    leftovers = [
        (leftover_residents[int(rid)], reason)
        for rid, reason in proposal.unpaired
        if int(rid) in leftover_residents
    ]
    mentors = [
        MentorProjection(f, load_now[pk], load_after[pk], new[pk])
        for pk, f in faculty.items()
        if f.mentor_capacity or load_after[pk]
    ]
    return {
        "rows": [PairRow(p, faculty.get(current.get(p.resident_id))) for p in pairs],
        "mentors": mentors,
        "over_capacity": [m for m in mentors if m.over_capacity],
        "leftovers": leftovers,
        "mentor_choices": [
            (f, load_after[pk])
            for pk, f in faculty.items()
            if f.mentor_status == Faculty.MentorStatus.ACTIVE
        ],
        "changes": sum(1 for p in pairs if current.get(p.resident_id) != p.mentor_id),
    }


def residents_without_mentor_exist(*, program: Program) -> bool:
    """Whether any resident who can be mentored has no current mentor (one query)."""
    paired = Mentorship.objects.filter(program=program, ended_on__isnull=True).values("resident_id")
    return (
        Resident.objects.filter(program=program, status__in=MENTORED_STATUSES)
        .exclude(pk__in=paired)
        .exists()
    )
