"""Hypothesis strategies for matching: random mentor pools and patient needs, small enough
that every combination of constraints turns up."""

from datetime import date, timedelta

from hypothesis import strategies as st

from matching.matches import domain
from matching.matches.domain import MentorProfile, Need

TODAY = date(2026, 3, 14)
BRANCHES = ["kol-salt-lake", "kol-behala", "kol-park-street"]
LANGUAGES = ["bn", "hi", "en"]
AREAS = ["depression", "anxiety", "bipolar", "psychosis"]
INTERESTS = ["music", "cricket", "art"]
GENDERS = ["female", "male", "non_binary"]

mentor_ids = st.sampled_from([f"mn_{n}" for n in range(12)])
expiries = st.sampled_from([None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=30)])

pools = st.lists(
    st.builds(
        MentorProfile,
        mentor_id=mentor_ids,
        status=st.sampled_from(["active", "active", "active", "on_leave"]),
        languages=st.frozensets(st.sampled_from(LANGUAGES), min_size=1),
        branches=st.frozensets(st.sampled_from(BRANCHES)),
        capacity=st.integers(0, 4),
        active_mentees=st.integers(0, 3),
        certified_until=expiries,
        remote_ok=st.booleans(),
        gender=st.one_of(st.none(), st.sampled_from(GENDERS)),
        age_band=st.one_of(st.none(), st.sampled_from(domain.AGE_BANDS)),
        lived_experience=st.frozensets(st.sampled_from(AREAS)),
        interests=st.frozensets(st.sampled_from(INTERESTS)),
        crisis_certified_until=expiries,
        supervisor_id=st.sampled_from([None, "sup_1", "sup_1"]),
        leave=st.sampled_from(
            [
                None,
                None,
                (TODAY, TODAY),
                (TODAY - timedelta(days=2), TODAY + timedelta(days=2)),
                (TODAY + timedelta(days=1), TODAY + timedelta(days=9)),
            ]
        ),
    ),
    max_size=12,
    unique_by=lambda m: m.mentor_id,
)

needs = st.builds(
    Need,
    branch=st.sampled_from(BRANCHES),
    language=st.sampled_from(LANGUAGES),
    mentor_gender=st.one_of(st.none(), st.none(), st.sampled_from(GENDERS)),
    risk=st.sampled_from(["low", "low", "medium", "high"]),
    lived_experience=st.frozensets(st.sampled_from(AREAS), max_size=2),
    interests=st.frozensets(st.sampled_from(INTERESTS), max_size=2),
    age_band=st.one_of(st.none(), st.sampled_from(domain.AGE_BANDS)),
)
