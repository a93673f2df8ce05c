"""Enrolment rules: who is enrolled, which outpatient group fits best, why an enrolment ends,
which admission is a readmission."""

from datetime import UTC, date, datetime, timedelta

import pytest

from aftercare.enrolment import domain
from aftercare.enrolment.domain import GroupSeat, Wish

HOME = "kol-salt-lake"
DISTANCES = {HOME: {"kol-park-street": 9.0, "kol-behala": 17.0}}
WEDNESDAY = date(2026, 12, 2)
EXCLUDED = frozenset({"20", "02", "ama"})


def group(
    group_id: str = "gr_a",
    branch: str = HOME,
    language: str = "bn",
    capacity: int = 10,
    enrolled: int = 4,
    weekday: int = 2,
    focus: str = "general_recovery",
    facilitators: tuple[str, ...] = ("mn_x",),
) -> GroupSeat:
    return GroupSeat(group_id, branch, language, focus, capacity, enrolled, weekday, facilitators)


def best(groups: list[GroupSeat], wish: Wish | None = None, reach_km: float = 12.0):
    return domain.best_group(groups, wish or Wish("bn", HOME), DISTANCES, reach_km, WEDNESDAY)


# wants_enrolment


def test_discharged_patient_who_consented_is_enrolled() -> None:
    assert domain.wants_enrolment("discharged", "given", "01", EXCLUDED)


@pytest.mark.parametrize(
    ("episode", "consent", "disposition"),
    [
        ("discharged", "withdrawn", None),
        ("discharged", None, None),
        ("admitted", "given", None),
        ("cancelled", "given", None),
        (None, "given", None),
        ("discharged", "given", "20"),  # died
        ("discharged", "given", "AMA"),  # left against advice, any case
    ],
)
def test_nobody_else_is_enrolled(
    episode: str | None, consent: str | None, disposition: str | None
) -> None:
    assert not domain.wants_enrolment(episode, consent, disposition, EXCLUDED)


# best_group


def test_a_group_must_speak_the_language_have_room_and_be_within_reach() -> None:
    fitting = group("gr_z", capacity=10, enrolled=9)
    others = [
        group("gr_a", branch="kol-behala", capacity=30, enrolled=0),  # 17 km away
        group("gr_b", branch="del-saket", capacity=30, enrolled=0),  # no distance known
        group("gr_c", language="hi", capacity=30, enrolled=0),
        group("gr_d", capacity=30, enrolled=30),
    ]

    assert best([*others, fitting]) == fitting
    assert best(others) is None
    assert best([]) is None


def test_the_nearest_group_wins_then_the_soonest_then_the_roomiest() -> None:
    near_later = group("gr_a", weekday=5)
    near_sooner = group("gr_b", weekday=3)
    near_sooner_roomier = group("gr_c", weekday=3, capacity=30)
    farther = group("gr_d", branch="kol-park-street", weekday=2, capacity=50, enrolled=0)

    assert best([farther, near_later, near_sooner]) == near_sooner
    assert best([farther, near_later, near_sooner, near_sooner_roomier]) == near_sooner_roomier
    assert best([farther, near_later]) == near_later


def test_the_continuing_mentors_group_comes_first_then_the_focus_asked_for() -> None:
    mentors = group("gr_m", branch="kol-park-street", facilitators=("mn_k",))
    focused = group("gr_f", focus="anxiety", weekday=6)
    plain = group("gr_p")

    assert best([plain, focused, mentors], Wish("bn", HOME, ("anxiety",), "mn_k")) == mentors
    assert best([plain, focused], Wish("bn", HOME, ("anxiety",))) == focused
    assert best([plain, focused], Wish("bn", HOME)) == plain


def test_distances_hold_either_way_round() -> None:
    assert domain.distance_km(DISTANCES, "kol-behala", HOME) == 17.0
    assert domain.distance_km(DISTANCES, HOME, HOME) == 0.0
    assert domain.distance_km(DISTANCES, "kol-behala", "kol-park-street") is None


def test_days_until_counts_today() -> None:
    assert domain.days_until(2, WEDNESDAY) == 0
    assert domain.days_until(1, WEDNESDAY) == 6


# cancel_reason


@pytest.mark.parametrize(
    ("episode", "consent", "reason"),
    [
        ("admitted", "given", "discharge cancelled"),
        ("cancelled", "given", "admission cancelled"),
        ("discharged", "withdrawn", "consent withdrawn"),
        ("discharged", None, "consent withdrawn"),
        (None, "given", "no longer discharged"),
    ],
)
def test_cancel_reason(episode: str | None, consent: str | None, reason: str) -> None:
    assert domain.cancel_reason(episode, consent) == reason


# readmissions, drop-offs

DISCHARGED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def test_readmission_counts_whole_days_within_the_window() -> None:
    assert domain.readmission_days(DISCHARGED, DISCHARGED + timedelta(days=12, hours=5), 30) == 12
    assert domain.readmission_days(DISCHARGED, DISCHARGED + timedelta(days=31), 30) is None
    assert domain.readmission_days(DISCHARGED, DISCHARGED - timedelta(days=1), 30) is None


def test_a_drop_off_is_told_apart_from_other_endings() -> None:
    assert domain.dropped_out("dropped out: transport")
    assert not domain.dropped_out("readmitted") and not domain.dropped_out(None)
