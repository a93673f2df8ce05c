"""EHR rules, pure (no I/O): what an EHR tells intake whatever the channel (HL7 v2, FHIR R4,
REST), which episode transitions are allowed and what state they lead to, and how a
notification changes an episode for every state it may find it in.

EHR feeds arrive late, twice, or out of order. Each (action, current status) pair has one
outcome, so the same messages in any order end in a state that can be predicted; the table
is documented in the README ("Out-of-order messages").
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from intake.identity.domain import Identifier, PatientDetails
from shared.contracts.intake import EpisodeState
from shared.errors import Conflict, Invalid

EhrAction = Literal[
    "admit",  # HL7 A01, A04; FHIR Encounter in-progress
    "transfer",  # A02
    "discharge",  # A03; FHIR finished
    "update",  # A08: demographics only, never a change of status or place
    "cancel_admission",  # A11; FHIR cancelled / entered-in-error
    "cancel_discharge",  # A13
    "merge",  # A40
]


@dataclass(frozen=True)
class Visit:
    """The stay as the EHR sees it: who numbered it, the number, where and when."""

    authority: str
    number: str
    branch: str
    ward: str
    admitted_at: datetime | None = None
    discharged_at: datetime | None = None
    disposition: str | None = None


@dataclass(frozen=True)
class EhrMessage:
    """One EHR notification, mapped from its wire format."""

    action: EhrAction
    patient: PatientDetails
    visit: Visit | None = None
    merge_from: tuple[Identifier, ...] = field(default=())
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class EhrOptions:
    """What the network configured for applying EHR feeds: its branches, the language of a
    patient whose EHR sends none, and the consent carry-over window for readmissions."""

    branches: tuple[str, ...]
    default_language: str
    consent_carry_over: timedelta


def new_episode_id() -> str:
    """A random episode id."""
    return f"ep_{secrets.token_hex(10)}"


def check_branch(branch: str, known: Sequence[str]) -> None:
    """Reject a branch code the network does not have."""
    if branch not in known:
        raise Invalid(f"unknown branch {branch!r}; known branches: {', '.join(known)}")


def discharge(state: EpisodeState, at: datetime, disposition: str | None) -> EpisodeState:
    """Admitted → discharged."""
    if state.status != "admitted":
        raise Conflict(f"episode is {state.status}, only an admitted episode can be discharged")
    if at < state.admitted_at:
        raise Invalid("discharge time is before the admission time")
    return state.model_copy(
        update={
            "status": "discharged",
            "discharged_at": at,
            "disposition": disposition,
            "version": state.version + 1,
        }
    )


def cancel_admission(state: EpisodeState) -> EpisodeState:
    """Admitted or discharged → cancelled: the whole stay was entered in error, so services
    undo what followed from it (the match, the aftercare enrolment)."""
    if state.status == "cancelled":
        raise Conflict("the admission is already cancelled")
    return state.model_copy(update={"status": "cancelled", "version": state.version + 1})


def cancel_discharge(state: EpisodeState) -> EpisodeState:
    """Discharged → admitted again, same episode."""
    if state.status != "discharged":
        raise Conflict(
            f"episode is {state.status}, only a discharged episode can have its discharge cancelled"
        )
    return state.model_copy(
        update={
            "status": "admitted",
            "discharged_at": None,
            "disposition": None,
            "version": state.version + 1,
        }
    )


def transfer(state: EpisodeState, branch: str, ward: str) -> EpisodeState:
    """Move an admitted patient to another ward or branch."""
    if state.status != "admitted":
        raise Conflict(f"episode is {state.status}, only an admitted patient can be transferred")
    if (branch, ward) == (state.branch, state.ward):
        raise Conflict("the patient is already on that ward")
    return state.model_copy(update={"branch": branch, "ward": ward, "version": state.version + 1})


def is_branch_change(before: EpisodeState, after: EpisodeState) -> bool:
    """A move to another branch is announced apart from a ward move: the mentor may change."""
    return before.branch != after.branch


def relabel(state: EpisodeState, **changes: str) -> EpisodeState | None:
    """The episode with new details (language, patient_ref), or None if nothing changes."""
    if all(getattr(state, name) == value for name, value in changes.items()):
        return None
    return state.model_copy(update={**changes, "version": state.version + 1})


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
