"""Consent rules: how an answer changes a stay's consent, and when a readmission carries it
over."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.consent import domain
from shared.contracts.intake import EpisodeState, StayConsentState

ADMITTED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def episode(**overrides: object) -> EpisodeState:
    fields: dict[str, object] = {
        "version": 1,
        "episode_id": "ep_8c21d4e0f7a93b5c6d12",
        "patient_ref": "pt_3f9a1c0b7e2d4a6f8b10",
        "branch": "kol-salt-lake",
        "ward": "ward-b",
        "language": "bn",
        "status": "admitted",
        "admitted_at": ADMITTED_AT,
    }
    fields.update(overrides)
    return EpisodeState.model_validate(fields)


AT = datetime(2026, 3, 14, 10, 5, tzinfo=UTC)
REF = "pt_3f9a1c0b7e2d4a6f8b10"
STAY = episode(patient_ref=REF)


def consent(
    status: str = "given", version: int = 1, text_version: str = "v1", carried: str | None = None
) -> StayConsentState:
    return StayConsentState.model_validate(
        {
            "version": version,
            "episode_id": STAY.episode_id,
            "patient_ref": REF,
            "status": status,
            "text_version": text_version,
            "text_language": "bn",
            "recorded_at": AT,
            "carried_over_from": carried,
        }
    )


def test_first_consent_answer_is_version_one_of_the_stay() -> None:
    new = domain.change_consent(None, STAY, ("given", "v1", "bn"), AT)

    assert new == consent()


def test_repeating_the_same_answer_announces_nothing() -> None:
    later = AT + timedelta(days=1)

    assert domain.change_consent(consent(version=3), STAY, ("given", "v1", "bn"), later) is None


@pytest.mark.parametrize("status", ["withdrawn", "declined"])
def test_withdrawal_or_decline_is_a_new_version(status: str) -> None:
    later = AT + timedelta(days=1)

    new = domain.change_consent(consent(version=3), STAY, (status, "v1", "bn"), later)

    assert new is not None
    assert new.status == status
    assert new.version == 4
    assert new.recorded_at == later


def test_answer_at_this_stay_replaces_a_carried_over_one() -> None:
    carried = consent(carried="ep_before")

    new = domain.change_consent(carried, STAY, ("given", "v1", "bn"), AT)

    assert new is not None
    assert new.carried_over_from is None
    assert new.version == 2


@pytest.mark.parametrize(
    ("text_version", "text_language"), [("v2", "bn"), ("v1", "hi")], ids=["text", "language"]
)
def test_same_decision_on_another_consent_text_is_recorded(
    text_version: str, text_language: str
) -> None:
    new = domain.change_consent(
        consent(version=2), STAY, ("given", text_version, text_language), AT
    )

    assert new is not None
    assert new.version == 3
    assert (new.text_version, new.text_language) == (text_version, text_language)


@pytest.mark.parametrize(
    ("status", "gap_days", "window_days", "carries"),
    [
        ("given", 10, 14, True),
        ("given", 14, 14, True),
        ("given", 15, 14, False),
        ("given", 1, 0, False),
        ("declined", 1, 14, False),
        ("withdrawn", 1, 14, False),
    ],
)
def test_consent_carries_over_only_when_given_and_within_the_window(
    status: str, gap_days: int, window_days: int, carries: bool
) -> None:
    discharged_at = AT
    readmitted_at = AT + timedelta(days=gap_days)

    assert (
        domain.carries_over(status, discharged_at, readmitted_at, timedelta(days=window_days))
        is carries
    )


def test_consent_of_a_stay_not_yet_discharged_does_not_carry_over() -> None:
    assert not domain.carries_over("given", None, AT, timedelta(days=30))
