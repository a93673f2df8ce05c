"""Waitlist re-optimisation over random pools: hard constraints always hold, no mentor goes
over capacity, and the result is never worse than one-at-a-time greedy matching."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.matching_strategies import TODAY, mentor_ids, needs, pools
from matching.matches import domain
from matching.matches.domain import MentorProfile, Need
from matching.matches.reoptimise import Waiting, assign, greedy, objective

WEIGHTS = domain.Weights()

waitlists = st.lists(
    st.builds(
        Waiting,
        episode_id=st.uuids().map(lambda u: f"ep_{u.hex[:8]}"),
        need=needs,
        previous_mentors=st.frozensets(mentor_ids, max_size=1),
        excluded=st.frozensets(mentor_ids, max_size=2),
    ),
    max_size=25,
    unique_by=lambda w: w.episode_id,
)


@settings(max_examples=300, deadline=None)
@given(pools, waitlists, st.sampled_from([0.0, 6.0]))
def test_reoptimisation_keeps_every_rule_and_beats_greedy(mentors, waiting, fairness):
    chosen = assign(waiting, mentors, lambda branch: WEIGHTS, TODAY, fairness)

    by_id = {m.mentor_id: m for m in mentors}
    patients = {w.episode_id: w for w in waiting}
    assert len({a.episode_id for a in chosen}) == len(chosen)  # nobody matched twice
    taken = Counter(a.scored.mentor.mentor_id for a in chosen)
    for mentor_id, count in taken.items():
        mentor = by_id[mentor_id]
        assert mentor.active_mentees + count <= mentor.capacity
    for a in chosen:
        patient = patients[a.episode_id]
        assert domain.is_eligible(a.scored.mentor, patient.need, TODAY)
        assert a.scored.mentor.mentor_id not in patient.excluded
    baseline = greedy(waiting, mentors, lambda b: WEIGHTS, TODAY)
    assert objective(chosen, waiting, fairness) >= objective(baseline, waiting, fairness)


def test_the_longest_waiting_patient_of_a_group_goes_first():
    one_place = MentorProfile(
        mentor_id="mn_1",
        status="active",
        languages=frozenset({"bn"}),
        branches=frozenset({"kol-behala"}),
        capacity=1,
        active_mentees=0,
        certified_until=TODAY,
    )
    first, second = (Waiting(f"ep_{n}", Need("kol-behala", "bn")) for n in (1, 2))
    [chosen] = assign([first, second], [one_place], lambda b: WEIGHTS, TODAY)
    assert chosen.episode_id == "ep_1"


def test_a_scarce_mentor_goes_where_nobody_else_fits():
    # Greedy gives the bilingual mentor to the first patient and strands the Hindi speaker;
    # the flow gives the first patient the Bengali-only mentor and matches both.
    bilingual = MentorProfile(
        "mn_both", "active", frozenset({"bn", "hi"}), frozenset({"kol-behala"}), 1, 0, TODAY
    )
    bengali = MentorProfile(
        "mn_bn", "active", frozenset({"bn"}), frozenset({"kol-behala"}), 2, 1, TODAY
    )
    waiting = [
        Waiting("ep_bn", Need("kol-behala", "bn")),
        Waiting("ep_hi", Need("kol-behala", "hi")),
    ]
    flow = assign(waiting, [bilingual, bengali], lambda b: WEIGHTS, TODAY)
    assert {a.episode_id: a.scored.mentor.mentor_id for a in flow} == {
        "ep_bn": "mn_bn",
        "ep_hi": "mn_both",
    }
    assert len(greedy(waiting, [bilingual, bengali], lambda b: WEIGHTS, TODAY)) == 1


def test_waiting_patients_get_the_mentor_whose_lived_experience_they_share():
    def mentor(mentor_id: str, area: str) -> MentorProfile:
        return MentorProfile(
            mentor_id,
            "active",
            frozenset({"bn"}),
            frozenset({"kol-behala"}),
            1,
            0,
            TODAY,
            lived_experience=frozenset({area}),
        )

    waiting = [
        Waiting("ep_dep", Need("kol-behala", "bn", lived_experience=frozenset({"depression"}))),
        Waiting("ep_bip", Need("kol-behala", "bn", lived_experience=frozenset({"bipolar"}))),
    ]
    chosen = assign(
        waiting, [mentor("mn_a", "bipolar"), mentor("mn_b", "depression")], lambda b: WEIGHTS, TODAY
    )
    assert {a.episode_id: a.scored.mentor.mentor_id for a in chosen} == {
        "ep_dep": "mn_b",
        "ep_bip": "mn_a",
    }


def test_scarce_places_are_shared_across_branches():
    # One mentor, in person at Behala and remote elsewhere, with two places. Behala's patients
    # score higher (in person) and waited longer; without fairness they take both places.
    mentor = MentorProfile(
        "mn_1", "active", frozenset({"bn"}), frozenset({"kol-behala"}), 2, 0, TODAY, remote_ok=True
    )
    waiting = [
        Waiting("ep_b1", Need("kol-behala", "bn")),
        Waiting("ep_b2", Need("kol-behala", "bn")),
        Waiting("ep_s1", Need("kol-salt-lake", "bn")),
    ]
    unfair = assign(waiting, [mentor], lambda b: WEIGHTS, TODAY, fairness=0.0)
    fair = assign(waiting, [mentor], lambda b: WEIGHTS, TODAY, fairness=6.0)
    assert {a.episode_id for a in unfair} == {"ep_b1", "ep_b2"}
    assert {a.episode_id for a in fair} == {"ep_b1", "ep_s1"}
