"""Sessions REST API: list sessions and record their outcome."""

from typing import Literal

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import handlers
from sessions.models import PeerSession
from sessions.reach import REACH
from sessions.schemas import CompleteRequest, SessionView
from shared.access import Access, allow, ensure_visible, visible
from shared.db import get_or_not_found
from shared.fields import Offset
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

MENTORING = allow("coordinator", "mentor")
OVERSIGHT = allow("coordinator", "supervisor", "mentor")


def sessions_of(access: Access) -> ColumnElement[bool]:
    """The 1:1 sessions a caller reaches: their branch's patients', their own, their mentors'."""
    return visible(
        access, REACH, patient=col(PeerSession.patient_ref), mentor=col(PeerSession.mentor_id)
    )


async def ensure_session(session: AsyncSession, access: Access, session_id: str) -> None:
    """404 unless the caller reaches this session."""
    what = f"session {session_id!r}"
    key = col(PeerSession.session_id)
    await ensure_visible(session, key, session_id, sessions_of(access), what)


def build_router(runtime: ServiceRuntime) -> APIRouter:
    """Routes of the sessions service."""
    router = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)

    @router.get("/sessions", response_model=list[SessionView], summary="Sessions, soonest first")
    async def list_sessions(
        mentor_id: str | None = None,
        patient_ref: str | None = None,
        match_id: str | None = None,
        status: Literal["scheduled", "completed", "cancelled", "missed"] | None = None,
        offset: Offset = 0,
        limit: int = Query(100, ge=1, le=1000),
        access: Access = OVERSIGHT,
    ) -> list[PeerSession]:
        query = (
            select(PeerSession)
            .where(sessions_of(access))
            .order_by(col(PeerSession.scheduled_for), col(PeerSession.session_id))
        )
        for column, value in (
            (col(PeerSession.mentor_id), mentor_id),
            (col(PeerSession.patient_ref), patient_ref),
            (col(PeerSession.match_id), match_id),
            (col(PeerSession.status), status),
        ):
            if value is not None:
                query = query.where(column == value)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.offset(offset).limit(limit)))

    @router.get("/sessions/{session_id}", response_model=SessionView, summary="One session")
    async def get_session(session_id: str, access: Access = OVERSIGHT) -> PeerSession:
        async with runtime.sessionmaker() as session:
            await ensure_session(session, access, session_id)
            return await get_or_not_found(
                session, PeerSession, session_id, f"session {session_id!r}"
            )

    @router.post(
        "/sessions/{session_id}/complete",
        response_model=SessionView,
        summary="Record attendance, duration and a peer note",
    )
    async def complete(
        session_id: str, request: CompleteRequest, access: Access = MENTORING
    ) -> PeerSession:
        async with runtime.unit_of_work() as session:
            await ensure_session(session, access, session_id)
            return await handlers.complete(session, session_id, request)

    return router
