"""Reads of episodes for intake's own API: listings narrowed by status, branch, patient or
visit number, each shown with the visit number the EHR knows it by."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.models import Episode
from intake.schemas import EpisodeView


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
