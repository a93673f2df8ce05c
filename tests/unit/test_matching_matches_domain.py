"""Matching rules: who may be supported, which mentors are eligible, who is best."""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.matches import domain
from matching.matches.domain import MentorProfile, Need
from matching.pool import domain as pool_domain

TODAY = date(2026, 3, 14)
NEED = Need(branch="kol-salt-lake", language="bn")
WEIGHTS = domain.Weights()


def mentor(**overrides: object) -> MentorProfile:
    base = MentorProfile(
        mentor_id="mn_a",
        status="active",
        languages=frozenset({"bn", "en"}),
        branches=frozenset({"kol-salt-lake"}),
        capacity=3,
        active_mentees=1,
        certified_until=TODAY + timedelta(days=90),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


# wants_support


def test_admitted_patient_who_consented_is_supported() -> None:
    assert domain.wants_support("admitted", "given")


@pytest.mark.parametrize(
    ("episode", "consent"),
    [
        ("admitted", "withdrawn"),
        ("admitted", None),
        ("discharged", "given"),
        ("cancelled", "given"),
        (None, "given"),
        (None, None),
    ],
)
def test_nobody_else_is_contacted(episode: str | None, consent: str | None) -> None:
    assert not domain.wants_support(episode, consent)


# is_eligible


def test_a_mentor_meeting_every_constraint_is_eligible() -> None:
    assert domain.is_eligible(mentor(), NEED, TODAY)


@pytest.mark.parametrize("status", [s for s in pool_domain.MENTOR_STATUSES if s != "active"])
def test_a_mentor_who_is_not_active_is_ineligible(status: str) -> None:
    assert not domain.is_eligible(mentor(status=status), NEED, TODAY)


def test_certification_expired_yesterday_makes_ineligible() -> None:
    expired = mentor(certified_until=TODAY - timedelta(days=1))

    assert not domain.is_eligible(expired, NEED, TODAY)


def test_certification_expiring_today_is_still_valid() -> None:
    assert domain.is_eligible(mentor(certified_until=TODAY), NEED, TODAY)


def test_a_mentor_without_the_patients_language_is_ineligible() -> None:
    assert not domain.is_eligible(mentor(languages=frozenset({"hi", "en"})), NEED, TODAY)


def test_a_mentor_not_serving_the_branch_is_ineligible() -> None:
    assert not domain.is_eligible(mentor(branches=frozenset({"del-saket"})), NEED, TODAY)


def test_a_mentor_offering_remote_support_serves_any_branch() -> None:
    remote = mentor(branches=frozenset({"del-saket"}), remote_ok=True)
    assert domain.is_eligible(remote, NEED, TODAY)
    assert domain.still_serves(remote, "kol-behala")


def test_a_mentor_missing_a_core_certification_is_ineligible() -> None:
    assert not domain.is_eligible(mentor(certified_until=None), NEED, TODAY)


def test_in_person_comes_before_remote_then_free_places() -> None:
    remote_roomy = mentor(mentor_id="remote", branches=frozenset(), remote_ok=True, capacity=9)
    local_tight = mentor(mentor_id="local", capacity=2)
    ranked = domain.best_first([remote_roomy, local_tight], NEED, frozenset(), WEIGHTS, TODAY)
    assert [s.mentor.mentor_id for s in ranked] == ["local", "remote"]


def test_a_patient_who_asked_for_a_womans_support_only_gets_women() -> None:
    need = replace(NEED, mentor_gender="female")
    assert domain.is_eligible(mentor(gender="female"), need, TODAY)
    assert not domain.is_eligible(mentor(gender="male"), need, TODAY)
    assert not domain.is_eligible(mentor(gender=None), need, TODAY)
    assert domain.unfit_reason(mentor(gender="male"), need, TODAY) == (
        "the patient asked for a mentor of another gender"
    )


def test_a_high_risk_patient_needs_a_valid_crisis_response_certification() -> None:
    need = replace(NEED, risk="high")
    supervised = mentor(supervisor_id="sup_1")
    assert domain.is_eligible(replace(supervised, crisis_certified_until=TODAY), need, TODAY)
    lapsed = replace(supervised, crisis_certified_until=TODAY - timedelta(days=1))
    assert not domain.is_eligible(lapsed, need, TODAY)
    assert not domain.is_eligible(replace(supervised, crisis_certified_until=None), need, TODAY)
    assert domain.is_eligible(mentor(crisis_certified_until=None), NEED, TODAY)


@pytest.mark.parametrize(
    ("first", "last", "away"),
    [
        (TODAY, TODAY, True),
        (TODAY - timedelta(days=3), TODAY, True),
        (TODAY, TODAY + timedelta(days=3), True),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=5), False),
        (TODAY - timedelta(days=5), TODAY - timedelta(days=1), False),
    ],
)
def test_a_dated_leave_keeps_a_mentor_from_new_mentees_on_its_days_only(
    first: date, last: date, away: bool
) -> None:
    on_leave = mentor(leave=(first, last))
    assert domain.is_eligible(on_leave, NEED, TODAY) is not away
    assert pool_domain.announced_status("active", (first, last), TODAY) == (
        "on_leave" if away else "active"
    )
    assert pool_domain.announced_status("suspended", (first, last), TODAY) == "suspended"


@pytest.mark.parametrize("risk", ["low", "medium"])
def test_below_high_risk_crisis_cover_is_no_constraint(risk: str) -> None:
    need = replace(NEED, risk=risk)
    assert domain.is_eligible(mentor(crisis_certified_until=None), need, TODAY)
    assert not need.high_risk


def test_a_medium_risk_patient_prefers_a_mentor_with_valid_crisis_cover() -> None:
    roomy = mentor(mentor_id="mn_roomy", capacity=4, active_mentees=0)
    covered = mentor(mentor_id="mn_covered", crisis_certified_until=TODAY)
    lapsed = mentor(mentor_id="mn_lapsed", crisis_certified_until=TODAY - timedelta(days=1))

    medium = domain.best_first(
        [roomy, covered, lapsed], replace(NEED, risk="medium"), frozenset(), WEIGHTS, TODAY
    )
    low = domain.best_first([roomy, covered, lapsed], NEED, frozenset(), WEIGHTS, TODAY)

    assert [s.mentor.mentor_id for s in medium] == ["mn_covered", "mn_roomy", "mn_lapsed"]
    assert medium[0].criteria["crisis_cover"] == 1.0 and medium[2].criteria["crisis_cover"] == 0.0
    assert low[0].mentor.mentor_id == "mn_roomy"
    assert all(s.criteria["crisis_cover"] == 0.0 for s in low)


def test_only_a_high_risk_match_waits_for_the_supervisor() -> None:
    policy = domain.Policy()
    for risk, needed in (("low", []), ("medium", []), ("high", ["supervisor"])):
        need = replace(NEED, risk=risk)
        assert policy.approvals_needed("kol-salt-lake", need.high_risk) == needed


def test_a_mentor_at_capacity_is_ineligible() -> None:
    assert not domain.is_eligible(mentor(capacity=3, active_mentees=3), NEED, TODAY)


def test_a_mentor_with_one_place_left_is_eligible() -> None:
    assert domain.is_eligible(mentor(capacity=3, active_mentees=2), NEED, TODAY)


def test_a_mentor_over_capacity_is_ineligible() -> None:
    assert not domain.is_eligible(mentor(capacity=2, active_mentees=3), NEED, TODAY)


# best_first


def test_most_free_places_first() -> None:
    busy = mentor(mentor_id="mn_a", capacity=5, active_mentees=4)  # a fifth free
    roomy = mentor(mentor_id="mn_b", capacity=8, active_mentees=2)  # three quarters free
    middle = mentor(mentor_id="mn_c", capacity=2, active_mentees=1)  # half free

    ranked = domain.best_first([busy, roomy, middle], NEED, frozenset(), WEIGHTS, TODAY)
    assert [s.mentor for s in ranked] == [roomy, middle, busy]


def test_full_ties_are_broken_by_id() -> None:
    b, a, c = (mentor(mentor_id=f"mn_{x}") for x in "bac")

    ranked = domain.best_first([b, c, a], NEED, frozenset(), WEIGHTS, TODAY)
    assert [s.mentor.mentor_id for s in ranked] == ["mn_a", "mn_b", "mn_c"]


def test_no_candidates_rank_empty() -> None:
    assert domain.best_first([], NEED, frozenset(), WEIGHTS, TODAY) == []


mentors = st.lists(
    st.builds(
        MentorProfile,
        mentor_id=st.text("abcdef0123", min_size=1, max_size=6).map(lambda s: f"mn_{s}"),
        status=st.sampled_from(pool_domain.MENTOR_STATUSES),
        languages=st.frozensets(st.sampled_from(["bn", "hi", "en"])),
        branches=st.frozensets(st.sampled_from(["kol-salt-lake", "del-saket"])),
        capacity=st.integers(0, 10),
        active_mentees=st.integers(0, 10),
        certified_until=st.one_of(st.none(), st.dates()),
    ),
    max_size=12,
)


# still_serves


def test_a_mentor_goes_on_serving_a_branch_they_cover() -> None:
    both = mentor(branches=frozenset({"kol-salt-lake", "del-saket"}))

    assert domain.still_serves(both, "del-saket")


def test_a_mentor_stops_serving_after_transfer_to_a_branch_they_do_not_cover() -> None:
    assert not domain.still_serves(mentor(), "del-saket")


# soft score


def test_each_criterion_is_scored_and_weighted() -> None:
    need = replace(
        NEED,
        lived_experience=frozenset({"depression", "anxiety", "psychosis"}),
        interests=frozenset({"music", "cricket"}),
        age_band="26-35",
    )
    scored = domain.score(
        mentor(
            capacity=4,
            active_mentees=1,
            lived_experience=frozenset({"depression", "psychosis", "bipolar"}),
            interests=frozenset({"music"}),
            age_band="36-50",
        ),
        need,
        frozenset({"mn_a"}),
        WEIGHTS,
        TODAY,
    )
    assert scored.criteria == {
        "continuity": 1.0,
        "in_person": 1.0,
        "load_balance": 0.75,
        "lived_experience": 0.6667,
        "interests": 0.5,
        "age_band": 0.5,
        "crisis_cover": 0.0,
    }
    assert scored.total == round(3.0 + 2.0 + 0.75 + 2 * 0.6667 + 0.5 * 0.5 + 0.5 * 0.5, 4)


@pytest.mark.parametrize(
    ("patient", "mentor_band", "closeness"),
    [
        ("26-35", "26-35", 1.0),
        ("26-35", "18-25", 0.5),
        ("26-35", "51-65", 0.0),
        (None, "26-35", 0.0),
        ("26-35", None, 0.0),
    ],
)
def test_age_bands_close_together_score_higher(
    patient: str | None, mentor_band: str | None, closeness: float
) -> None:
    assert domain.age_closeness(patient, mentor_band) == closeness


def test_shared_lived_experience_outweighs_a_lighter_load() -> None:
    need = replace(NEED, lived_experience=frozenset({"bipolar"}))
    lived = mentor(mentor_id="mn_lived", lived_experience=frozenset({"bipolar"}), active_mentees=2)
    roomy = mentor(mentor_id="mn_roomy", active_mentees=0)
    ranked = domain.best_first([roomy, lived], need, frozenset(), WEIGHTS, TODAY)
    assert [s.mentor.mentor_id for s in ranked] == ["mn_lived", "mn_roomy"]


def test_the_mentor_from_an_earlier_episode_comes_first_even_when_busier() -> None:
    earlier = mentor(mentor_id="mn_earlier", capacity=3, active_mentees=2)
    roomy = mentor(mentor_id="mn_roomy", capacity=9, active_mentees=0)
    ranked = domain.best_first([roomy, earlier], NEED, frozenset({"mn_earlier"}), WEIGHTS, TODAY)
    assert [s.mentor.mentor_id for s in ranked] == ["mn_earlier", "mn_roomy"]
    why = domain.explanation(ranked[0], ranked[1:], WEIGHTS)
    assert why["chosen"]["continuity"] == 1.0
    assert [r["mentor_id"] for r in why["runners_up"]] == ["mn_roomy"]


def test_a_branch_can_weigh_criteria_its_own_way() -> None:
    local = domain.Weights(continuity=0.0, in_person=5.0, load_balance=1.0)
    policy = domain.Policy(weights=WEIGHTS, branch_weights={"kol-behala": local})
    assert policy.weights_for("kol-behala") is local
    assert policy.weights_for("kol-salt-lake") is WEIGHTS


@given(
    mentors, st.frozensets(st.text("abcdef0123", min_size=1, max_size=6).map(lambda s: f"mn_{s}"))
)
def test_best_first_is_a_permutation_with_the_highest_total_first(
    candidates: list[MentorProfile], previous: frozenset[str]
) -> None:
    ranked = domain.best_first(candidates, NEED, previous, WEIGHTS, TODAY)

    assert Counter(s.mentor for s in ranked) == Counter(candidates)
    totals = [s.total for s in ranked]
    assert totals == sorted(totals, reverse=True)


# review and sign-off


def test_who_must_approve_depends_on_the_branch_mode_and_the_risk() -> None:
    policy = domain.Policy(review_branches=frozenset({"kol-behala"}))
    assert policy.approvals_needed("kol-salt-lake", high_risk=False) == []
    assert policy.approvals_needed("kol-behala", high_risk=False) == ["coordinator"]
    assert policy.approvals_needed("kol-salt-lake", high_risk=True) == ["supervisor"]
    assert policy.approvals_needed("kol-behala", high_risk=True) == ["coordinator", "supervisor"]


def test_a_high_risk_patient_needs_a_mentor_with_a_supervisor_to_sign_off() -> None:
    need = replace(NEED, risk="high")
    certified = mentor(crisis_certified_until=TODAY)
    assert not domain.is_eligible(certified, need, TODAY)
    assert domain.is_eligible(replace(certified, supervisor_id="sup_1"), need, TODAY)
