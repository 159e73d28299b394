"""Mentor pairing optimiser: proposes resident-mentor pairs a program director can review.

Pure Python, no ORM: a selector builds `MenteeCandidate` / `MentorCandidate` rows, and a
service stores the returned `Proposal` as a draft.

What the proposal optimises, in order (lexicographically):
1. the number of residents paired;
2. the total match score of the pairs (`pair_score`);
3. among equally good proposals, new mentees go to the least-loaded mentors first;
4. any remaining tie is broken by id order: inputs are sorted by id before solving, so the
   same input gives the same proposal whatever its order (ids must be mutually comparable).
It is solved exactly as a max-flow / min-cost-flow problem (OR-Tools SimpleMinCostFlow,
`solve_max_flow_with_min_cost`): source -> resident -> (mentor, class) -> mentor -> sink.

Score scale (integers, `PairingWeights` defaults; a pair typically scores 20-90):
- 10 per topic the resident lists as a goal or interest that the mentor also lists
  (a topic counts once, as a goal if it is one);
- 30 / 20 / 10 if the resident ranked this mentor 1st / 2nd / 3rd (1 = first choice);
- 15 if the mentor's clinical area is one of the resident's goals;
- 5 track fit: the resident's track (e.g. "Primary Care") is the mentor's clinical area or
  interest;
- 5 if the mentor already mentors this resident (continuity when pairs are re-proposed).

Topic matching is case-insensitive on a normalised key: lower-case, "&" -> "and", spaces
collapsed, a trailing "fellowship" or "track" dropped ("Cardiology fellowship" matches
"cardiology"), and a few aliases ("QI" -> "quality improvement", "gastroenterology" -> "gi",
"pulmonary" / "critical care" -> "pulmonary/critical care", ...).

Rules:
- A mentor's capacity counts all their mentees: current mentees not in this proposal, kept
  and locked pairs, and new pairs. Kept and locked pairs are never broken, even if they
  already fill (or overfill) a mentor; such a mentor just gets no new mentee.
- Locked pairs (`PairingOptions.locked`) always stay. With `keep_existing`, a resident's
  current pair stays unless the mentor is inactive, absent or the pair is excluded; the
  resident is then paired afresh.
- Inactive mentors (on leave) get no new mentees.
- Class cap: a mentor gets no new mentee of a PGY level they already have
  `max_same_class_per_mentor` mentees of (existing ones count). It is a HARD constraint,
  not a penalty: it is a policy the director sets, a hard cap keeps every proposal easy to
  explain, and a resident it leaves unpaired is reported with that reason, so the director
  can raise the cap or add a mentor. `None` disables it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ortools.graph.python import min_cost_flow


@dataclass(frozen=True)
class MentorCandidate:
    """A faculty mentor. `current_mentee_classes` maps PGY level -> number of current mentees."""

    id: str
    name: str
    interests: frozenset[str] = frozenset()
    clinical_area: str = ""
    capacity: int = 0
    active: bool = True
    current_mentee_ids: frozenset[str] = frozenset()
    current_mentee_classes: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MenteeCandidate:
    """A resident to pair. `ranked_mentor_ids[0]` is the first choice."""

    id: str
    name: str
    pgy: int
    track: str = ""
    goals: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    ranked_mentor_ids: tuple[str, ...] = ()
    current_mentor_id: str | None = None


@dataclass(frozen=True)
class PairingWeights:
    """Integer points per match feature; see the module docstring for the scale."""

    shared_goal: int = 10
    shared_interest: int = 10
    rank_points: tuple[int, ...] = (30, 20, 10)
    clinical_area_goal: int = 15
    track_fit: int = 5
    current_mentor: int = 5


@dataclass(frozen=True)
class PairingOptions:
    """`locked` maps mentee id -> mentor id; `excluded` holds (mentee id, mentor id) pairs."""

    keep_existing: bool = True
    locked: Mapping[str, str] = field(default_factory=dict)
    excluded: frozenset[tuple[str, str]] = frozenset()
    max_same_class_per_mentor: int | None = 2
    weights: PairingWeights = PairingWeights()


@dataclass(frozen=True)
class ProposedPair:
    mentee_id: str
    mentor_id: str
    score: int
    reasons: tuple[str, ...]
    kept: bool = False
    locked: bool = False


@dataclass(frozen=True)
class Proposal:
    """`unpaired` holds (mentee id, why) for residents left without a mentor."""

    pairs: list[ProposedPair]
    total_score: int
    unpaired: list[tuple[str, str]]
    solver_status: str

    @property
    def paired_count(self) -> int:
        return len(self.pairs)


# A possible new pair: (mentee, mentor, score, reasons).
Candidate = tuple[MenteeCandidate, MentorCandidate, int, list[str]]

_ALIASES = {
    "qi": "quality improvement",
    "med ed": "medical education",
    "meded": "medical education",
    "gastroenterology": "gi",
    "pulmonary": "pulmonary/critical care",
    "critical care": "pulmonary/critical care",
    "pccm": "pulmonary/critical care",
    "pulmonary and critical care": "pulmonary/critical care",
    "pulmonary critical care": "pulmonary/critical care",
    "hospitalist": "hospital medicine",
    "geriatric medicine": "geriatrics",
    "palliative medicine": "palliative care",
    "hospice and palliative medicine": "palliative care",
}
_SUFFIX = re.compile(r"\s+(fellowship|track)$")


@lru_cache(maxsize=4096)
def topic_key(term: str) -> str:
    """Return the normalised key two topics must share to match (see module docstring)."""
    key = " ".join(term.lower().replace("&", " and ").split())
    key = re.sub(r"\s*/\s*", "/", key)
    key = _SUFFIX.sub("", key)
    return _ALIASES.get(key, key)


def _wording_by_key(terms: Iterable[str]) -> dict[str, str]:
    """Map each topic key to the resident's own wording (the smallest, if several)."""
    words: dict[str, str] = {}
    for term in sorted(terms):
        if term.strip():
            words.setdefault(topic_key(term), term.strip())
    return words


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def pair_score(
    mentee: MenteeCandidate, mentor: MentorCandidate, weights: PairingWeights = PairingWeights()
) -> tuple[int, list[str]]:
    """Return (score, reasons) for pairing `mentee` with `mentor`; reasons explain each point."""
    score, reasons = 0, []
    mentor_topics = {topic_key(t) for t in mentor.interests}
    goals = _wording_by_key(mentee.goals)
    interests = _wording_by_key(mentee.interests)

    shared = []
    for key in mentor_topics & (goals.keys() | interests.keys()):
        score += weights.shared_goal if key in goals else weights.shared_interest
        shared.append(goals.get(key) or interests[key])
    if shared:
        reasons.append("both: " + ", ".join(sorted(shared, key=str.lower)))

    if mentor.id in mentee.ranked_mentor_ids:
        rank = mentee.ranked_mentor_ids.index(mentor.id) + 1
        if rank <= len(weights.rank_points) and weights.rank_points[rank - 1]:
            score += weights.rank_points[rank - 1]
            reasons.append(f"resident ranked this mentor {_ordinal(rank)}")

    area = topic_key(mentor.clinical_area) if mentor.clinical_area.strip() else ""
    if area in goals and weights.clinical_area_goal:
        score += weights.clinical_area_goal
        reasons.append(f"mentor's clinical area matches the resident's goal {goals[area]}")

    track = topic_key(mentee.track) if mentee.track.strip() else ""
    if track and (track == area or track in mentor_topics) and weights.track_fit:
        score += weights.track_fit
        label = mentee.track.strip()
        label = label if label.lower().endswith("track") else f"{label} track"
        reasons.append(f"mentor fits the resident's {label}")

    if mentee.current_mentor_id == mentor.id and weights.current_mentor:
        score += weights.current_mentor
        reasons.append("already this resident's mentor")
    if not reasons:
        reasons.append("no shared interest, goal or ranking")
    return score, reasons


def propose_pairs(
    mentees: Iterable[MenteeCandidate],
    mentors: Iterable[MentorCandidate],
    options: PairingOptions = PairingOptions(),
) -> Proposal:
    """Return the optimal proposal for `mentees` (see the module docstring for the rules).

    Raises ValueError for duplicate ids or a locked pair that names an unknown resident or
    mentor, or that is also excluded.
    """
    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    _validate(mentees, mentors, options)
    mentor_by_id = {m.id: m for m in mentors}
    cap = options.max_same_class_per_mentor
    weights = options.weights

    # Load that stays whatever we propose: current mentees who are not part of this proposal.
    listed = {m.id: m for m in mentees}
    load = {m.id: len(set(m.current_mentee_ids) - listed.keys()) for m in mentors}
    class_load = {m.id: _outside_classes(m, listed) for m in mentors}

    fixed: list[ProposedPair] = []
    free: list[MenteeCandidate] = []
    notes: dict[str, str] = {}
    for mentee in mentees:
        mentor_id = options.locked.get(mentee.id)
        is_locked = mentor_id is not None
        if not is_locked and options.keep_existing and mentee.current_mentor_id is not None:
            current = mentor_by_id.get(mentee.current_mentor_id)
            if current is None or not current.active:
                name = current.name if current else mentee.current_mentor_id
                notes[mentee.id] = f"current mentor {name} is not active"
            elif (mentee.id, current.id) in options.excluded:
                notes[mentee.id] = f"current pair with {current.name} is excluded"
            else:
                mentor_id = current.id
        if mentor_id is None:
            free.append(mentee)
            continue
        score, reasons = pair_score(mentee, mentor_by_id[mentor_id], weights)
        kept = mentee.current_mentor_id == mentor_id
        tag = "locked by the director" if is_locked else "existing pair kept"
        fixed.append(ProposedPair(mentee.id, mentor_id, score, (tag, *reasons), kept, is_locked))
        load[mentor_id] += 1
        class_load[mentor_id][mentee.pgy] += 1

    room = {m.id: max(0, m.capacity - load[m.id]) if m.active else 0 for m in mentors}

    def class_room(mentor_id: str, pgy: int) -> int:
        if cap is None:
            return room[mentor_id]
        return min(room[mentor_id], max(0, cap - class_load[mentor_id][pgy]))

    candidates: list[Candidate] = []
    for mentee in free:
        for mentor in mentors:
            if (mentee.id, mentor.id) in options.excluded or not class_room(mentor.id, mentee.pgy):
                continue
            candidates.append((mentee, mentor, *pair_score(mentee, mentor, weights)))

    chosen = _solve(free, mentors, candidates, load, room, class_room)
    new_pairs = []
    for mentee, mentor, score, reasons in chosen:
        if mentee.id in notes:
            reasons = [*reasons, f"replaces: {notes[mentee.id]}"]
        new_pairs.append(ProposedPair(mentee.id, mentor.id, score, tuple(reasons)))

    for pair in new_pairs:
        load[pair.mentor_id] += 1
        class_load[pair.mentor_id][listed[pair.mentee_id].pgy] += 1
    paired = {pair.mentee_id for pair in new_pairs}
    supply = sum(room.values())
    unpaired = []
    for mentee in free:
        if mentee.id not in paired:
            why = _why_unpaired(mentee, mentors, options, len(free), supply, load)
            if mentee.id in notes:
                why += f" ({notes[mentee.id]})"
            unpaired.append((mentee.id, why))

    pairs = sorted(fixed + new_pairs, key=lambda p: p.mentee_id)
    return Proposal(pairs, sum(p.score for p in pairs), unpaired, "OPTIMAL")


def _validate(
    mentees: Sequence[MenteeCandidate], mentors: Sequence[MentorCandidate], options: PairingOptions
) -> None:
    for kind, rows in (("resident", mentees), ("mentor", mentors)):
        ids = Counter(row.id for row in rows)
        duplicates = sorted(i for i, n in ids.items() if n > 1)
        if duplicates:
            raise ValueError(f"{kind} ids appear more than once: {duplicates}")
    mentee_ids = {m.id for m in mentees}
    mentor_ids = {m.id for m in mentors}
    for mentee_id, mentor_id in sorted(options.locked.items()):
        if mentee_id not in mentee_ids:
            raise ValueError(f"locked pair: resident {mentee_id} is not among those to pair")
        if mentor_id not in mentor_ids:
            raise ValueError(f"locked pair: mentor {mentor_id} is not among the mentors")
        if (mentee_id, mentor_id) in options.excluded:
            raise ValueError(f"pair ({mentee_id}, {mentor_id}) is both locked and excluded")
    if options.max_same_class_per_mentor is not None and options.max_same_class_per_mentor < 0:
        raise ValueError("max_same_class_per_mentor must be at least 0 (or None for no cap)")


def _outside_classes(mentor: MentorCandidate, listed: Mapping[str, MenteeCandidate]) -> Counter:
    """PGY counts of the mentor's current mentees that are not part of this proposal."""
    classes = Counter({pgy: n for pgy, n in mentor.current_mentee_classes.items() if n > 0})
    for mentee_id in mentor.current_mentee_ids:
        if mentee_id in listed and classes[listed[mentee_id].pgy] > 0:
            classes[listed[mentee_id].pgy] -= 1
    return classes


def _solve(
    free: Sequence[MenteeCandidate],
    mentors: Sequence[MentorCandidate],
    candidates: Sequence[Candidate],
    load: Mapping[str, int],
    room: Mapping[str, int],
    class_room: Callable[[str, int], int],
) -> list[Candidate]:
    """Return the chosen (mentee, mentor, score, reasons) rows: max pairs, then max score.

    Arc costs: (best score - score) * K on resident arcs, plus a tie-break on each mentor's
    k-th new place costing their load + k, which fills the least-loaded mentors first. K
    exceeds any total tie-break cost, so the tie-break never trades away score; with the
    flow fixed at its maximum, minimising cost maximises the total score.
    """
    if not candidates:
        return []
    best = max(c[2] for c in candidates)
    scale = len(free) * max(max(m.capacity for m in mentors), 1) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    node = {("mentee", m.id): 2 + i for i, m in enumerate(free)}
    for mentee in free:
        flow.add_arc_with_capacity_and_unit_cost(source, node["mentee", mentee.id], 1, 0)
    for mentor in mentors:
        if room[mentor.id]:
            node["mentor", mentor.id] = len(node) + 2
            for k in range(room[mentor.id]):
                flow.add_arc_with_capacity_and_unit_cost(
                    node["mentor", mentor.id], sink, 1, load[mentor.id] + k
                )
    arcs = []
    for mentee, mentor, score, _reasons in candidates:
        group = ("class", mentor.id, mentee.pgy)
        if group not in node:
            node[group] = len(node) + 2
            flow.add_arc_with_capacity_and_unit_cost(
                node[group], node["mentor", mentor.id], class_room(mentor.id, mentee.pgy), 0
            )
        arc = flow.add_arc_with_capacity_and_unit_cost(
            node["mentee", mentee.id], node[group], 1, (best - score) * scale
        )
        arcs.append(arc)
    flow.set_node_supply(source, len(free))
    flow.set_node_supply(sink, -len(free))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status}")
    return [row for row, arc in zip(candidates, arcs, strict=True) if flow.flow(arc) > 0]


def _why_unpaired(
    mentee: MenteeCandidate,
    mentors: Sequence[MentorCandidate],
    options: PairingOptions,
    demand: int,
    supply: int,
    load: Mapping[str, int],
) -> str:
    """Explain why `mentee` was left over, naming what blocks them.

    With a maximum flow, a mentor with a free place who may take this resident must be at the
    class cap for the resident's PGY level; otherwise the resident would have been paired.
    """
    active = [m for m in mentors if m.active]
    if not active:
        return "no active mentor in the program"
    allowed = {m.id for m in active if (mentee.id, m.id) not in options.excluded}
    if not allowed:
        return "every active mentor is excluded for this resident"
    with_places = [m for m in active if m.capacity - load[m.id] > 0]
    capped = [m for m in with_places if m.id in allowed]
    excluded = [m for m in with_places if m.id not in allowed]
    parts = []
    if demand > supply or not with_places:
        parts.append(f"no capacity left: {demand} residents for {supply} places")
    if capped:
        cap = options.max_same_class_per_mentor
        parts.append(
            f"the places left are with mentors who already have {cap} PGY-{mentee.pgy}"
            f" mentee{'' if cap == 1 else 's'} (class cap): {_names(capped)}"
        )
    if excluded:
        parts.append(f"places left with mentors excluded for this resident: {_names(excluded)}")
    return "; ".join(parts)


def _names(mentors: Sequence[MentorCandidate], limit: int = 5) -> str:
    names = ", ".join(m.name for m in mentors[:limit])
    return names + (f" and {len(mentors) - limit} more" if len(mentors) > limit else "")
