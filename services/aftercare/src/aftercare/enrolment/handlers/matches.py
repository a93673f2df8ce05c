"""Matching's matches as aftercare knows them: whether the mentor goes on after discharge
(their group comes first, and they reach out), and when the patient was matched."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment.handlers.placement import (
    announce,
    continuing_mentor,
    fill_waitlist,
    free_seat,
    place,
)
from aftercare.enrolment.models import Enrolment, MatchProjection
from aftercare.enrolment.options import EnrolmentOptions
from shared.contracts.envelope import utcnow
from shared.contracts.matching import MatchContinuationState, MatchState
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


async def apply_match(
    session: AsyncSession,
    state: MatchState,
    options: EnrolmentOptions,
    correlation_id: str | None,
) -> None:
    """Apply a match's newer state; a continuation event also says until when it goes on,
    and the discharged patient's enrolment follows the mentor."""
    row = await apply_if_newer(session, MatchProjection, state.match_id, state, MATCH_FIELDS)
    if row is not None and isinstance(state, MatchContinuationState):
        row.continues_until = state.continues_until
        await session.flush()
        await follow_mentor(session, row.episode_id, options, correlation_id)


async def follow_mentor(
    session: AsyncSession, episode_id: str, options: EnrolmentOptions, correlation_id: str | None
) -> None:
    """The match goes on past discharge (matching says so after the discharge, so usually
    after the enrolment): a patient who has not come to their group yet moves to a group
    their mentor facilitates, if one fits, and the mentor is the one who reaches out."""
    row = await session.scalar(
        select(Enrolment).where(
            col(Enrolment.episode_id) == episode_id,
            col(Enrolment.status).in_(("enrolled", "waitlisted")),
        )
    )
    if row is None:
        return
    if row.status == "waitlisted":
        await fill_waitlist(session, options, correlation_id)
        return
    if row.first_attended_at is not None:
        # They have come to their group already: the mentor reaches out, nobody moves.
        row.mentor_id = await continuing_mentor(session, episode_id, utcnow())
        await session.flush()
        return
    before = row.group_id
    if await place(session, row, options, mentors_only=True) and before is not None:
        await free_seat(session, before)
        row.updated_at = utcnow()
        row.version += 1
        announce(session, row, correlation_id)
    await session.flush()
