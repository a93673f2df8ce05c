"""Matching's matches as aftercare knows them: whether the mentor goes on after discharge
(their group comes first, and they reach out), and when the patient was matched."""

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare import handlers
from aftercare.config import AftercareSettings
from aftercare.models import MatchProjection
from shared.contracts.envelope import Event
from shared.contracts.matching import MatchContinuationState
from shared.projections import apply_if_newer

MATCH_FIELDS = (
    "match_id",
    "episode_id",
    "patient_ref",
    "mentor_id",
    "status",
    "matched_at",
    "version",
)


async def on_match(session: AsyncSession, event: Event, settings: AftercareSettings) -> None:
    """Apply a match's newer state; a continuation event also says until when it goes on,
    and the discharged patient's enrolment follows the mentor."""
    row = await apply_if_newer(
        session, MatchProjection, event.data.match_id, event.data, MATCH_FIELDS
    )
    if row is not None and isinstance(event.data, MatchContinuationState):
        row.continues_until = event.data.continues_until
        await session.flush()
        await handlers.follow_mentor(session, row.episode_id, settings, event.correlation_id)
