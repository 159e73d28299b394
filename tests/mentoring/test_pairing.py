"""Tests for the mentor pairing optimiser (mentoring.pairing), checked against brute force."""

import random
from collections import Counter
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.pairing import (
    MenteeCandidate,
    MentorCandidate,
    PairingOptions,
    pair_score,
    propose_pairs,
    topic_key,
)

TOPICS = ["primary care", "Medical Education", "QI", "research", "cardiology fellowship"]
MENTOR_TOPICS = ["Primary Care", "medical education", "quality improvement", "Cardiology"]
PROPERTY = settings(max_examples=120, deadline=None, database=None, derandomize=True)


def mentor(id, capacity=2, interests=(), area="", active=True, current=(), classes=None):
    return MentorCandidate(
        id=id,
        name=f"Dr {id.upper()}",
        interests=frozenset(interests),
        clinical_area=area,
        capacity=capacity,
        active=active,
        current_mentee_ids=frozenset(current),
        current_mentee_classes=classes or {},
    )


def mentee(id, pgy=1, goals=(), interests=(), ranked=(), current=None, track="Categorical"):
    return MenteeCandidate(
        id=id,
        name=id.title(),
        pgy=pgy,
        track=track,
        goals=frozenset(goals),
        interests=frozenset(interests),
        ranked_mentor_ids=tuple(ranked),
        current_mentor_id=current,
    )


@st.composite
def pairing_cases(draw):
    """Small random programs, plus the PGY levels of each mentor's mentees outside the case."""
    mentor_ids = [f"m{i}" for i in range(draw(st.integers(2, 4)))]
    topics = st.sets(st.sampled_from(TOPICS), max_size=3)
    mentees = []
    for i in range(draw(st.integers(3, 6))):
        ranked = draw(st.permutations(mentor_ids))[: draw(st.integers(0, 3))]
        current = draw(st.sampled_from([None, None, *mentor_ids]))
        mentees.append(
            mentee(f"r{i}", draw(st.integers(1, 3)), draw(topics), draw(topics), ranked, current)
        )
    outside = {m: draw(st.lists(st.integers(1, 3), max_size=2)) for m in mentor_ids}
    mentors = []
    for m in mentor_ids:
        listed = [r for r in mentees if r.current_mentor_id == m]
        classes = Counter(outside[m]) + Counter(r.pgy for r in listed)
        current = [f"x-{m}-{k}" for k in range(len(outside[m]))] + [r.id for r in listed]
        mentors.append(
            mentor(
                m,
                capacity=draw(st.integers(0, 4)),
                interests=draw(st.sets(st.sampled_from(MENTOR_TOPICS), max_size=3)),
                area=draw(st.sampled_from(["", "primary care", "cardiology"])),
                active=draw(st.sampled_from([True, True, True, False])),
                current=current,
                classes=dict(classes),
            )
        )
    mentee_ids = [r.id for r in mentees]
    excluded = draw(st.sets(st.tuples(st.sampled_from(mentee_ids), st.sampled_from(mentor_ids))))
    locked = draw(
        st.dictionaries(st.sampled_from(mentee_ids), st.sampled_from(mentor_ids), max_size=2)
    )
    options = PairingOptions(
        keep_existing=draw(st.booleans()),
        locked={r: m for r, m in locked.items() if (r, m) not in excluded},
        excluded=frozenset(excluded),
        max_same_class_per_mentor=draw(st.sampled_from([None, 1, 2])),
    )
    return mentees, mentors, options, outside


def fixed_mentor(r, mentors_by_id, options):
    """The mentor a resident must keep (locked, or kept existing pair), else None."""
    if r.id in options.locked:
        return options.locked[r.id]
    current = mentors_by_id.get(r.current_mentor_id)
    keep = options.keep_existing and current and current.active
    if keep and (r.id, current.id) not in options.excluded:
        return current.id
    return None


def brute_force_best(mentees, mentors, options, outside):
    """Best (number paired, total score) over every assignment that respects the rules."""
    by_id = {m.id: m for m in mentors}
    choices = []
    for r in mentees:
        fixed = fixed_mentor(r, by_id, options)
        if fixed:
            choices.append([(fixed, False)])
        else:
            allowed = [m.id for m in mentors if m.active and (r.id, m.id) not in options.excluded]
            choices.append([None] + [(m, True) for m in allowed])
    cap = options.max_same_class_per_mentor
    scores = {(r.id, m.id): pair_score(r, m, options.weights)[0] for r in mentees for m in mentors}
    best = None
    for combo in product(*choices):
        total = {m: Counter(outside[m]) for m in by_id}
        new = {m: Counter() for m in by_id}
        for r, choice in zip(mentees, combo, strict=True):
            if choice:
                total[choice[0]][r.pgy] += 1
                if choice[1]:
                    new[choice[0]][r.pgy] += 1
        if any(
            (new[m] and sum(total[m].values()) > by_id[m].capacity)
            or (cap is not None and any(total[m][c] > cap for c in new[m]))
            for m in by_id
        ):
            continue
        pairs = [(r.id, c[0]) for r, c in zip(mentees, combo, strict=True) if c]
        value = (len(pairs), sum(scores[p] for p in pairs))
        best = value if best is None or value > best else best
    return best


def assert_rules_hold(mentees, mentors, options, outside, proposal):
    by_id = {m.id: m for m in mentors}
    by_mentee = {p.mentee_id: p for p in proposal.pairs}
    assert len(by_mentee) == len(proposal.pairs)
    assert {p.mentee_id for p in proposal.pairs} | {u for u, _ in proposal.unpaired} == {
        r.id for r in mentees
    }
    load = {m: Counter(outside[m]) for m in by_id}
    receives_new = {m: set() for m in by_id}
    for r in mentees:
        fixed = fixed_mentor(r, by_id, options)
        pair = by_mentee.get(r.id)
        if fixed:
            assert pair.mentor_id == fixed
            assert pair.locked == (r.id in options.locked)
        elif pair:
            assert by_id[pair.mentor_id].active
            assert (r.id, pair.mentor_id) not in options.excluded
            assert not pair.kept and not pair.locked
            receives_new[pair.mentor_id].add(r.pgy)
        if pair:
            load[pair.mentor_id][r.pgy] += 1
    for m, classes in receives_new.items():
        if classes:
            assert sum(load[m].values()) <= by_id[m].capacity
            if options.max_same_class_per_mentor is not None:
                assert all(load[m][c] <= options.max_same_class_per_mentor for c in classes)
    assert proposal.total_score == sum(p.score for p in proposal.pairs)


@PROPERTY
@given(pairing_cases())
def test_it_finds_the_same_optimum_as_brute_force(case):
    proposal = propose_pairs(*case[:3])
    assert (proposal.paired_count, proposal.total_score) == brute_force_best(*case)


@PROPERTY
@given(pairing_cases())
def test_it_never_breaks_capacity_class_cap_locks_kept_pairs_or_exclusions(case):
    assert_rules_hold(*case, propose_pairs(*case[:3]))


@PROPERTY
@given(pairing_cases(), st.randoms(use_true_random=False))
def test_it_gives_the_same_proposal_whatever_the_input_order(case, rng):
    mentees, mentors, options, _ = case
    shuffled = (rng.sample(mentees, len(mentees)), rng.sample(mentors, len(mentors)))
    assert propose_pairs(*shuffled, options) == propose_pairs(mentees, mentors, options)


def test_it_pairs_everyone_before_chasing_a_higher_score():
    star = mentee("ann", interests=["research", "QI"], ranked=["a"])
    other = mentee("bob", interests=["research"])
    mentors = [mentor("a", 1, ["research", "qi"]), mentor("b", 1)]
    options = PairingOptions(excluded=frozenset({("bob", "b")}))
    proposal = propose_pairs([star, other], mentors, options)
    assert {(p.mentee_id, p.mentor_id) for p in proposal.pairs} == {("ann", "b"), ("bob", "a")}
    assert proposal.unpaired == []


def test_it_pairs_every_resident_when_capacity_allows():
    rng = random.Random(7)
    mentors = [mentor(f"m{i}", rng.randint(1, 3), rng.sample(MENTOR_TOPICS, 2)) for i in range(8)]
    places = sum(m.capacity for m in mentors)
    mentees = [mentee(f"r{i}", rng.randint(1, 3), rng.sample(TOPICS, 2)) for i in range(places)]
    options = PairingOptions(max_same_class_per_mentor=None)
    proposal = propose_pairs(mentees, mentors, options)
    assert proposal.paired_count == places
    assert proposal.unpaired == []


def test_it_reports_leftovers_with_the_capacity_shortfall():
    mentees = [mentee(f"r{i}", pgy=i + 1) for i in range(3)]
    proposal = propose_pairs(mentees, [mentor("a", 1), mentor("b", 1)])
    assert proposal.paired_count == 2
    assert [why for _, why in proposal.unpaired] == ["no capacity left: 3 residents for 2 places"]


def test_it_says_when_no_mentor_is_active():
    proposal = propose_pairs([mentee("ann")], [mentor("a", active=False)])
    assert proposal.pairs == []
    assert proposal.unpaired == [("ann", "no active mentor in the program")]


def test_it_never_gives_an_inactive_mentor_a_new_mentee():
    on_leave = mentor("a", 5, ["research"], active=False)
    proposal = propose_pairs([mentee("ann", interests=["research"], ranked=["a"])], [on_leave])
    assert proposal.pairs == []


def test_it_keeps_existing_pairs_unless_asked_not_to():
    mentors = [mentor("a", 1, current=["ann"], classes={1: 1}), mentor("b", 1, ["research"])]
    ann = mentee("ann", interests=["research"], current="a")
    kept = propose_pairs([ann], mentors).pairs[0]
    assert (kept.mentor_id, kept.kept, kept.reasons[0]) == ("a", True, "existing pair kept")
    redone = propose_pairs([ann], mentors, PairingOptions(keep_existing=False)).pairs[0]
    assert (redone.mentor_id, redone.kept) == ("b", False)


def test_it_re_pairs_a_resident_whose_mentor_is_on_leave():
    mentors = [mentor("a", 1, current=["ann"], active=False), mentor("b", 1)]
    pair = propose_pairs([mentee("ann", current="a")], mentors).pairs[0]
    assert pair.mentor_id == "b"
    assert "replaces: current mentor Dr A is not active" in pair.reasons


def test_it_keeps_locked_pairs_even_against_a_better_match():
    mentors = [mentor("a", 1, ["research"]), mentor("b", 1)]
    ann = mentee("ann", interests=["research"], ranked=["a"])
    pair = propose_pairs([ann], mentors, PairingOptions(locked={"ann": "b"})).pairs[0]
    assert (pair.mentor_id, pair.locked, pair.reasons[0]) == ("b", True, "locked by the director")


def test_it_never_proposes_an_excluded_pair():
    options = PairingOptions(excluded=frozenset({("ann", "a")}))
    proposal = propose_pairs([mentee("ann", ranked=["a"])], [mentor("a")], options)
    assert proposal.unpaired == [("ann", "every active mentor is excluded for this resident")]


def test_current_mentees_outside_the_proposal_use_up_capacity():
    full = mentor("a", 2, ["research"], current=["x", "y"], classes={2: 2})
    proposal = propose_pairs([mentee("ann", interests=["research"])], [full, mentor("b", 1)])
    assert [p.mentor_id for p in proposal.pairs] == ["b"]


def test_it_respects_the_class_cap_counting_current_mentees():
    a = mentor("a", 5, ["research"], current=["x"], classes={1: 1})
    interns = [mentee(f"r{i}", pgy=1, interests=["research"]) for i in range(3)]
    proposal = propose_pairs(interns, [a, mentor("b", 1)])
    assert Counter(p.mentor_id for p in proposal.pairs) == {"a": 1, "b": 1}
    (_, why), *_ = proposal.unpaired
    assert "already have 2 PGY-1 mentees (class cap): Dr A" in why


def test_the_class_cap_can_be_turned_off():
    interns = [mentee(f"r{i}", pgy=1) for i in range(4)]
    options = PairingOptions(max_same_class_per_mentor=None)
    assert propose_pairs(interns, [mentor("a", 4)], options).paired_count == 4


def test_equally_good_mentees_are_spread_across_mentors():
    mentees = [mentee("ann", pgy=1), mentee("bob", pgy=2)]
    proposal = propose_pairs(mentees, [mentor("a", 3), mentor("b", 3)])
    assert len({p.mentor_id for p in proposal.pairs}) == 2


def test_reasons_mention_shared_interests_and_rank():
    ann = mentee("ann", interests=["medical education", "QI", "research"], ranked=["b", "a"])
    a = mentor("a", interests=["Medical Education", "quality improvement"])
    score, reasons = pair_score(ann, a)
    assert score == 10 + 10 + 20
    assert reasons == ["both: medical education, QI", "resident ranked this mentor 2nd"]


def test_reasons_mention_a_clinical_area_that_matches_a_goal_and_the_track():
    ann = mentee("ann", goals=["primary care"], track="Primary Care")
    score, reasons = pair_score(ann, mentor("a", area="Primary care"))
    assert score == 15 + 5
    assert reasons == [
        "mentor's clinical area matches the resident's goal primary care",
        "mentor fits the resident's Primary Care track",
    ]


def test_a_fellowship_goal_matches_the_specialty_whatever_the_case():
    assert topic_key("Cardiology Fellowship") == topic_key("cardiology")
    assert topic_key("Pulmonary / Critical Care fellowship") == topic_key("critical care")
    assert topic_key("QI") == topic_key("Quality improvement")
    score, reasons = pair_score(
        mentee("ann", goals=["GI fellowship"]), mentor("a", interests=["GI"])
    )
    assert (score, reasons) == (10, ["both: GI fellowship"])


def test_a_locked_pair_with_an_unknown_mentor_is_rejected():
    with pytest.raises(ValueError, match="mentor zz is not among the mentors"):
        propose_pairs([mentee("ann")], [mentor("a")], PairingOptions(locked={"ann": "zz"}))


def test_spreading_the_load_never_costs_match_score():
    busy = mentor("a", 10, area="primary care", current=[f"x{i}" for i in range(8)])
    ann = mentee("ann", track="Primary Care")
    proposal = propose_pairs(
        [ann], [busy, mentor("b", 10)], PairingOptions(max_same_class_per_mentor=None)
    )
    assert [(p.mentor_id, p.score) for p in proposal.pairs] == [("a", 5)]
