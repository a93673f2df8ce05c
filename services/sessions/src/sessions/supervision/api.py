"""Supervision REST API: a mentor's load, peer notes to review, meetings, wellbeing checks."""

from typing import Annotated

from fastapi import APIRouter, status

from sessions.calendar.models import PeerSession
from sessions.calendar.schemas import SessionView
from sessions.reach import Oversight, ensure_mentor, ensure_session, sessions_of
from sessions.supervision import handlers
from sessions.supervision.models import SupervisionMeeting, WellbeingCheck
from sessions.supervision.options import SupervisionOptions
from sessions.supervision.schemas import (
    MeetingRequest,
    MeetingView,
    MentorLoadView,
    NoteReviewRequest,
    WellbeingRequest,
    WellbeingView,
)
from shared.access import Access, allow, claim_person
from shared.depends import Runtime, options
from shared.errors import NotFound
from shared.fields import RecordIdPath
from shared.web import ERROR_RESPONSES

Supervising = Annotated[Access, allow("coordinator", "supervisor")]
Options = Annotated[SupervisionOptions, options(SupervisionOptions)]

router = APIRouter(tags=["supervision"], responses=ERROR_RESPONSES)


@router.get(
    "/mentors/{mentor_id}/load",
    response_model=MentorLoadView,
    summary="Caseload, sessions ahead, completed and missed, notes to review, wellbeing",
)
async def load(
    mentor_id: RecordIdPath, runtime: Runtime, opts: Options, access: Oversight
) -> MentorLoadView:
    async with runtime.sessionmaker() as session:
        await ensure_mentor(session, access, mentor_id)
        found = await handlers.load_of(session, mentor_id, opts.clock.now())
    return MentorLoadView.model_validate(found)


@router.get(
    "/supervisors/{supervisor_id}/mentors",
    response_model=list[MentorLoadView],
    summary="The load of every mentor a supervisor oversees (as matching last said)",
)
async def supervised(
    supervisor_id: RecordIdPath, runtime: Runtime, opts: Options, access: Supervising
) -> list[MentorLoadView]:
    if access.role == "supervisor" and access.subject != supervisor_id:
        raise NotFound(f"no supervisor {supervisor_id!r}")
    async with runtime.sessionmaker() as session:
        found = [
            await handlers.load_of(session, mentor.mentor_id, opts.clock.now())
            for mentor in await handlers.supervised_by(session, supervisor_id)
        ]
    return [MentorLoadView.model_validate(load) for load in found]


@router.get(
    "/mentors/{mentor_id}/notes-to-review",
    response_model=list[SessionView],
    summary="Completed sessions whose peer note the supervisor has not read",
)
async def notes(
    mentor_id: RecordIdPath, runtime: Runtime, access: Supervising
) -> list[PeerSession]:
    async with runtime.sessionmaker() as session:
        await ensure_mentor(session, access, mentor_id)
        return await handlers.notes_to_review(session, mentor_id, sessions_of(access))


@router.post(
    "/sessions/{session_id}/note-review",
    response_model=SessionView,
    summary="The supervisor has read this session's peer note",
)
async def review(
    session_id: RecordIdPath,
    request: NoteReviewRequest,
    runtime: Runtime,
    opts: Options,
    access: Supervising,
) -> PeerSession:
    claim_person(access, request.supervisor_id, "supervisor_id")
    async with runtime.unit_of_work() as session:
        await ensure_session(session, access, session_id)
        return await handlers.review_note(session, session_id, request, opts.clock.now())


@router.post(
    "/supervision-meetings",
    response_model=MeetingView,
    status_code=status.HTTP_201_CREATED,
    summary="Log a supervision meeting",
)
async def meeting(
    request: MeetingRequest, runtime: Runtime, opts: Options, access: Supervising
) -> SupervisionMeeting:
    claim_person(access, request.supervisor_id, "supervisor_id")
    async with runtime.unit_of_work() as session:
        await ensure_mentor(session, access, request.mentor_id)
        return await handlers.log_meeting(session, request, opts.clock.now())


@router.post(
    "/mentors/{mentor_id}/wellbeing-checks",
    response_model=WellbeingView,
    status_code=status.HTTP_201_CREATED,
    summary="A mentor records how they are doing (peer workers need support too)",
)
async def wellbeing(
    mentor_id: RecordIdPath,
    request: WellbeingRequest,
    runtime: Runtime,
    opts: Options,
    access: Oversight,
) -> WellbeingCheck:
    async with runtime.unit_of_work() as session:
        await ensure_mentor(session, access, mentor_id)
        return await handlers.check_wellbeing(session, mentor_id, request, opts.clock.now())
