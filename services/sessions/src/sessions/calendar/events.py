"""Sessions rows as event-carried state (notes never travel)."""

from sessions.calendar.models import PeerSession
from shared.contracts.sessions import SessionState


def session_state(row: PeerSession) -> SessionState:
    """Event-carried state of a session row (without the note)."""
    return SessionState.model_validate(row, from_attributes=True)
