"""Reads of episodes for intake's own API: one episode within the caller's reach, or listings
narrowed by status, branch, patient or visit number, each shown with the visit number the EHR
knows it by."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.ehr.models import Episode
from intake.ehr.schemas import EpisodeView
from shared.errors import NotFound


@dataclass(frozen=True)
class EpisodeFilter:
    """What a listing of episodes asks for (None: any)."""

    status: str | None = None
    branch: str | None = None
    patient_ref: str | None = None
    visit_number: str | None = None
    visit_authority: str | None = None


async def list_episodes(
    session: AsyncSession,
    wanted: EpisodeFilter,
    offset: int,
    limit: int,
    scope: ColumnElement[bool],
) -> list[EpisodeView]:
    """Episodes the caller reaches, oldest admission first, narrowed by `wanted`."""
    query = select(Episode).where(scope)
    query = query.order_by(col(Episode.admitted_at), col(Episode.episode_id))
    for column, value in (
        (Episode.status, wanted.status),
        (Episode.branch, wanted.branch),
        (Episode.patient_ref, wanted.patient_ref),
        (Episode.visit_number, wanted.visit_number),
        (Episode.visit_authority, wanted.visit_authority),
    ):
        if value:
            query = query.where(col(column) == value)
    rows = await session.scalars(query.offset(offset).limit(limit))
    return [episode_view(row) for row in rows]


def episode_view(row: Episode) -> EpisodeView:
    """An episode with its visit number, for intake's own API."""
    return EpisodeView.model_validate(row, from_attributes=True)


async def load_episode(
    session: AsyncSession, episode_id: str, scope: ColumnElement[bool] | None = None
) -> Episode:
    """The episode row, when it is within `scope` (None: any), else 404."""
    if scope is None:
        row = await session.get(Episode, episode_id)
    else:
        query = select(Episode).where(col(Episode.episode_id) == episode_id, scope)
        row = await session.scalar(query)
    if row is None:
        raise NotFound(f"no episode {episode_id!r}")
    return row


async def get_episode(
    session: AsyncSession, episode_id: str, scope: ColumnElement[bool] | None = None
) -> EpisodeView:
    """Current state of an episode, with its visit number."""
    return episode_view(await load_episode(session, episode_id, scope))
