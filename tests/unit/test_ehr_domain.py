"""EHR rules: episode transitions and branch codes."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.ehr import domain
from intake.identity import domain as identity
from shared.contracts.intake import EpisodeState
from shared.errors import Conflict, Invalid

ADMITTED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
LATER = ADMITTED_AT + timedelta(days=12, hours=7)


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


def discharged(version: int = 2) -> EpisodeState:
    return episode(version=version, status="discharged", discharged_at=LATER, disposition="home")


# discharge


def test_discharge_records_time_disposition_and_next_version() -> None:
    before = episode(version=3)

    after = domain.discharge(before, LATER, "home")

    assert after.status == "discharged"
    assert after.discharged_at == LATER
    assert after.disposition == "home"
    assert after.version == 4
    assert (after.episode_id, after.patient_ref, after.branch, after.ward) == (
        before.episode_id,
        before.patient_ref,
        before.branch,
        before.ward,
    )
    assert before.status == "admitted"


def test_discharge_at_the_admission_instant_is_allowed() -> None:
    assert domain.discharge(episode(), ADMITTED_AT, None).status == "discharged"


def test_discharge_before_admission_is_invalid() -> None:
    with pytest.raises(Invalid):
        domain.discharge(episode(), ADMITTED_AT - timedelta(minutes=1), "home")


@pytest.mark.parametrize("state", [discharged(), episode(status="cancelled")], ids=["dis", "can"])
def test_only_an_admitted_episode_can_be_discharged(state: EpisodeState) -> None:
    with pytest.raises(Conflict, match=state.status):
        domain.discharge(state, LATER, "home")


# cancel admission


def test_cancel_admission_cancels_with_next_version() -> None:
    after = domain.cancel_admission(episode(version=2))

    assert after.status == "cancelled"
    assert after.version == 3


def test_cancelling_the_admission_of_a_discharged_stay_cancels_the_whole_stay() -> None:
    after = domain.cancel_admission(discharged(version=4))

    assert (after.status, after.version) == ("cancelled", 5)


def test_a_cancelled_admission_cannot_be_cancelled_again() -> None:
    with pytest.raises(Conflict):
        domain.cancel_admission(episode(status="cancelled"))


# cancel discharge


def test_cancel_discharge_readmits_in_the_same_episode() -> None:
    before = discharged(version=5)

    after = domain.cancel_discharge(before)

    assert after.status == "admitted"
    assert after.discharged_at is None
    assert after.disposition is None
    assert after.version == 6
    assert after.episode_id == before.episode_id
    assert after.admitted_at == ADMITTED_AT


@pytest.mark.parametrize("status", ["admitted", "cancelled"])
def test_only_a_discharged_episode_can_have_its_discharge_cancelled(status: str) -> None:
    with pytest.raises(Conflict):
        domain.cancel_discharge(episode(status=status))


def test_discharge_can_follow_a_cancelled_discharge() -> None:
    readmitted = domain.cancel_discharge(discharged(version=2))

    again = domain.discharge(readmitted, LATER + timedelta(days=3), "community care")

    assert again.status == "discharged"
    assert again.version == 4


# transfer


def test_transfer_to_another_ward_in_the_same_branch() -> None:
    after = domain.transfer(episode(version=2), "kol-salt-lake", "ward-d")

    assert (after.branch, after.ward) == ("kol-salt-lake", "ward-d")
    assert after.status == "admitted"
    assert after.version == 3


def test_transfer_to_another_branch_keeping_the_ward_name() -> None:
    after = domain.transfer(episode(), "del-saket", "ward-b")

    assert (after.branch, after.ward) == ("del-saket", "ward-b")
    assert after.version == 2


def test_transfer_to_the_current_ward_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        domain.transfer(episode(), "kol-salt-lake", "ward-b")


@pytest.mark.parametrize("state", [discharged(), episode(status="cancelled")], ids=["dis", "can"])
def test_only_an_admitted_patient_can_be_transferred(state: EpisodeState) -> None:
    with pytest.raises(Conflict):
        domain.transfer(state, "del-saket", "ward-a")


# branch codes


def test_known_branch_is_accepted() -> None:
    domain.check_branch("del-saket", ["kol-salt-lake", "del-saket"])


def test_unknown_branch_is_invalid_and_names_the_known_ones() -> None:
    with pytest.raises(Invalid) as caught:
        domain.check_branch("mum-andheri", ["kol-salt-lake", "del-saket"])

    assert "mum-andheri" in caught.value.reason
    assert "kol-salt-lake" in caught.value.reason


def test_branch_codes_are_matched_exactly() -> None:
    with pytest.raises(Invalid):
        domain.check_branch("KOL-SALT-LAKE", ["kol-salt-lake"])


def test_new_refs_are_pseudonymous_and_unique() -> None:
    refs = {identity.new_patient_ref() for _ in range(50)}
    episodes = {domain.new_episode_id() for _ in range(50)}

    assert len(refs) == len(episodes) == 50
    assert all(ref.startswith("pt_") for ref in refs)
    assert all(ep.startswith("ep_") for ep in episodes)
