"""Intake rules: which episode transitions are allowed and what state they lead to."""

import secrets
from datetime import date, datetime, timedelta, timezone

from shared.contracts.intake import ConsentAnswer, EpisodeState, StayConsentState
from shared.errors import Conflict, Invalid


def new_patient_ref() -> str:
    """A random pseudonymous patient reference (no link to identity outside intake)."""
    return f"pt_{secrets.token_hex(10)}"


def new_episode_id() -> str:
    """A random episode id."""
    return f"ep_{secrets.token_hex(10)}"


# The first time zone to reach a new day: no birth anywhere is later than its date.
_FIRST_ZONE = timezone(timedelta(hours=14))


def check_birth_date(born: date | None, today: date) -> None:
    """A birth date is a calendar date; one after `today` (at the sender) is refused."""
    if born is not None and born > today:
        raise Invalid("the date of birth is in the future")


def latest_today(now: datetime) -> date:
    """Today where it is latest on Earth: "today" for a sender whose time zone is unknown
    (REST, FHIR), so a baby born today anywhere is never refused."""
    return now.astimezone(_FIRST_ZONE).date()


def check_branch(branch: str, known: list[str]) -> None:
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


def change_consent(
    current: StayConsentState | None,
    episode: EpisodeState,
    answer: tuple[ConsentAnswer, str, str],
    at: datetime,
    carried_over_from: str | None = None,
) -> StayConsentState | None:
    """The stay's new consent state for `answer` (status, text version, text language), or
    None when it repeats the current one (nothing to announce). An answer recorded at this stay
    replaces one carried over from the stay before."""
    status, text_version, text_language = answer
    if current and (
        current.status,
        current.text_version,
        current.text_language,
        current.carried_over_from,
    ) == (status, text_version, text_language, carried_over_from):
        return None
    return StayConsentState(
        version=(current.version + 1) if current else 1,
        episode_id=episode.episode_id,
        patient_ref=episode.patient_ref,
        status=status,
        text_version=text_version,
        text_language=text_language,
        recorded_at=at,
        carried_over_from=carried_over_from,
    )


def carries_over(
    previous_status: str | None,
    previous_discharged_at: datetime | None,
    admitted_at: datetime,
    window: timedelta,
) -> bool:
    """Whether a readmission starts with the consent of the stay before it: only a `given`
    consent, only within the hospital's window after that stay's discharge (0: never)."""
    if window <= timedelta(0) or previous_status != "given" or previous_discharged_at is None:
        return False
    return admitted_at - previous_discharged_at <= window
