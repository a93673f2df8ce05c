"""Crisis escalation rules: alert order, the last link repeating, who may acknowledge."""

import pytest
from pydantic import ValidationError

from sessions.config import SessionsSettings
from sessions.crisis import domain as crisis_rules
from sessions.crisis.domain import OnDuty
from shared.errors import Conflict, Forbidden

CHAIN = [OnDuty("dr-1", "clinician"), OnDuty("sup-1", "supervisor"), OnDuty("lead", "branch_lead")]
ALERTED = {"dr-1", "sup-1"}  # two alerts so far
ON_CHAIN = {link.person_id for link in CHAIN}


def test_the_chain_is_alerted_in_order_then_the_branch_lead_again_and_again() -> None:
    alerted = [crisis_rules.alerted(CHAIN, level) for level in range(5)]
    assert [who.person_id for who in alerted if who] == ["dr-1", "sup-1", "lead", "lead", "lead"]


def test_an_empty_chain_alerts_nobody() -> None:
    assert crisis_rules.alerted([], 0) is None


def test_someone_already_alerted_may_acknowledge() -> None:
    crisis_rules.check_can_acknowledge("open", "dr-1", ALERTED)
    crisis_rules.check_can_acknowledge("open", "sup-1", ALERTED)


@pytest.mark.parametrize("person", ["lead", "stranger"])
def test_nobody_not_yet_alerted_may_acknowledge(person: str) -> None:
    with pytest.raises(Forbidden):
        crisis_rules.check_can_acknowledge("open", person, ALERTED)


def test_only_an_open_crisis_is_acknowledged_and_a_resolved_one_stays_resolved() -> None:
    with pytest.raises(Conflict):
        crisis_rules.check_can_acknowledge("acknowledged", "dr-1", ALERTED)
    with pytest.raises(Conflict):
        crisis_rules.check_can_resolve("resolved", "dr-1", ON_CHAIN)
    with pytest.raises(Forbidden):
        crisis_rules.check_can_resolve("open", "stranger", ON_CHAIN)


@pytest.mark.parametrize(
    "chain",
    [
        [{"person_id": "on-call"}],
        [{"person_id": "", "role": "supervisor"}],
        [{"person_id": "on-call", "role": "nurse"}],
    ],
)
def test_a_fallback_chain_names_a_person_and_a_duty_role(chain: list[dict[str, str]]) -> None:
    with pytest.raises(ValidationError, match="duty"):
        SessionsSettings(fallback_duty_chain=chain)
