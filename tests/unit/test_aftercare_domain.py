"""Aftercare rules: who is enrolled, which group fits, why an enrolment is cancelled."""

import pytest

from aftercare import domain
from aftercare.domain import GroupSeat

BRANCH = "kol-salt-lake"


def group(
    group_id: str = "gr_a",
    branch: str = BRANCH,
    language: str = "bn",
    capacity: int = 10,
    enrolled: int = 4,
) -> GroupSeat:
    return GroupSeat(group_id, branch, language, capacity, enrolled)


# wants_enrolment


def test_discharged_patient_who_consented_is_enrolled() -> None:
    assert domain.wants_enrolment("discharged", "given")


@pytest.mark.parametrize(
    ("episode", "consent"),
    [
        ("discharged", "withdrawn"),
        ("discharged", None),
        ("admitted", "given"),
        ("cancelled", "given"),
        (None, "given"),
    ],
)
def test_nobody_else_is_enrolled(episode: str | None, consent: str | None) -> None:
    assert not domain.wants_enrolment(episode, consent)


# fits


def test_same_branch_language_and_a_free_seat_fits() -> None:
    assert domain.fits(group(capacity=10, enrolled=9), BRANCH, "bn")


@pytest.mark.parametrize(
    "seat",
    [
        group(branch="del-saket"),
        group(language="hi"),
        group(capacity=10, enrolled=10),
        group(capacity=8, enrolled=9),
    ],
    ids=["other-branch", "other-language", "full", "overfull"],
)
def test_a_group_that_does_not_fit(seat: GroupSeat) -> None:
    assert not domain.fits(seat, BRANCH, "bn")


# best_group


def test_best_group_has_the_most_free_seats_not_the_fewest_members() -> None:
    small = group("gr_a", capacity=6, enrolled=2)  # 4 free, 2 members
    large = group("gr_b", capacity=20, enrolled=12)  # 8 free, 12 members
    medium = group("gr_c", capacity=10, enrolled=5)  # 5 free

    assert domain.best_group([small, large, medium], BRANCH, "bn") == large


def test_ties_go_to_the_lowest_group_id() -> None:
    b = group("gr_b", capacity=10, enrolled=4)
    a = group("gr_a", capacity=8, enrolled=2)

    assert domain.best_group([b, a], BRANCH, "bn") == a


def test_groups_that_do_not_fit_are_ignored_even_when_roomier() -> None:
    fitting = group("gr_z", capacity=10, enrolled=9)
    others = [
        group("gr_a", branch="del-saket", capacity=30, enrolled=0),
        group("gr_b", language="hi", capacity=30, enrolled=0),
        group("gr_c", capacity=30, enrolled=30),
    ]

    assert domain.best_group([*others, fitting], BRANCH, "bn") == fitting


def test_no_group_when_none_fits() -> None:
    groups = [group(branch="del-saket"), group(language="hi"), group(capacity=5, enrolled=5)]

    assert domain.best_group(groups, BRANCH, "bn") is None


def test_no_group_when_there_are_none() -> None:
    assert domain.best_group([], BRANCH, "bn") is None


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
