"""How an EHR notification changes an episode, for every state it may find it in.

EHR feeds arrive late, twice, or out of order. Each (action, current status) pair has one
outcome, so the same messages in any order end in a state that can be predicted; the table
is documented in the README ("Out-of-order messages").
"""

from typing import Literal

from intake.commands import EhrAction
from shared.errors import Conflict

Step = Literal[
    "create_admitted",
    "create_discharged",
    "create_cancelled",
    "transfer",
    "discharge",
    "cancel_admission",
    "cancel_discharge",
    "nothing",
]

_RULES: dict[EhrAction, dict[str | None, Step | str]] = {
    "admit": {
        None: "create_admitted",
        "admitted": "nothing",
        "discharged": "nothing",
        "cancelled": "nothing",
    },
    "transfer": {
        None: "create_admitted",
        "admitted": "transfer",
        "discharged": "the patient is discharged: cancel the discharge (A13) before a transfer",
        "cancelled": "the admission was cancelled (A11): a cancelled visit cannot be transferred",
    },
    "discharge": {
        None: "create_discharged",
        "admitted": "discharge",
        "discharged": "nothing",
        "cancelled": "the admission was cancelled (A11): a cancelled visit cannot be discharged",
    },
    "cancel_admission": {
        None: "create_cancelled",
        "admitted": "cancel_admission",
        "discharged": "cancel_admission",
        "cancelled": "nothing",
    },
    "cancel_discharge": {
        None: "no such visit: there is no discharge to cancel",
        "admitted": "nothing",
        "discharged": "cancel_discharge",
        "cancelled": "the admission was cancelled (A11): there is no discharge to cancel",
    },
    "update": {
        None: "nothing",
        "admitted": "nothing",
        "discharged": "nothing",
        "cancelled": "nothing",
    },
}

STEPS = frozenset(Step.__args__)  # type: ignore[attr-defined]


def decide(action: EhrAction, status: str | None) -> Step:
    """The step for `action` on an episode in `status` (None: visit not known yet).

    Raises Conflict, with what the sender should do, where the message cannot apply.
    """
    outcome = _RULES[action][status]
    if outcome not in STEPS:
        raise Conflict(outcome)
    return outcome  # type: ignore[return-value]
