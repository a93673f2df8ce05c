"""Peer-led groups REST API: set up and change groups, their meetings, enrolment, attendance,
and the groups offered to a patient."""

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlmodel import col

from sessions import group_attendance, group_meetings, group_places, groups
from sessions.config import SessionsSettings
from sessions.group_schemas import (
    AttendanceRequest,
    AttendanceView,
    EnrolmentView,
    EnrolRequest,
    Focus,
    GroupMeetingView,
    GroupRequest,
    GroupUpdate,
    GroupView,
    HeldGroupMeetingView,
    LeaveRequest,
    OfferView,
    Setting,
)
from sessions.models import Group, GroupAttendance, GroupEnrolment, GroupMeeting
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.fields import Code, LanguageCode, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def _held(meeting: GroupMeeting, attendance: list[GroupAttendance]) -> HeldGroupMeetingView:
    return HeldGroupMeetingView.model_validate(
        {
            **GroupMeetingView.model_validate(meeting).model_dump(),
            "attendance": [AttendanceView.model_validate(a) for a in attendance],
        }
    )


def build_groups_router(
    runtime: ServiceRuntime, settings: SessionsSettings, clock: Clock
) -> APIRouter:
    """Routes for peer-led groups."""
    router = APIRouter(tags=["groups"], responses=ERROR_RESPONSES)

    @router.post(
        "/groups",
        response_model=GroupView,
        status_code=status.HTTP_201_CREATED,
        summary="Set up a peer-led group (facilitators must be certified for it)",
    )
    async def create_group(request: GroupRequest) -> Group:
        async with runtime.unit_of_work() as session:
            return await groups.create(session, request, settings, clock.now())

    @router.get("/groups", response_model=list[GroupView], summary="Groups, by branch and kind")
    async def list_groups(
        branch: Code | None = None,
        setting: Setting | None = None,
        focus: Focus | None = None,
        language: LanguageCode | None = None,
        include_closed: bool = False,
    ) -> list[Group]:
        query = select(Group).order_by(col(Group.branch), col(Group.weekday), col(Group.start_time))
        for column, value in (
            (Group.branch, branch),
            (Group.setting, setting),
            (Group.focus, focus),
            (Group.language, language),
        ):
            if value is not None:
                query = query.where(col(column) == value)
        if not include_closed:
            query = query.where(col(Group.status) == "active")
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query))

    @router.get("/groups/{group_id}", response_model=GroupView, summary="One group")
    async def get_group(group_id: RecordIdPath) -> Group:
        async with runtime.sessionmaker() as session:
            return await get_or_not_found(session, Group, group_id, f"group {group_id!r}")

    @router.patch(
        "/groups/{group_id}",
        response_model=GroupView,
        summary="Change facilitators, capacity or end date, or close the group",
    )
    async def update_group(group_id: RecordIdPath, request: GroupUpdate) -> Group:
        async with runtime.unit_of_work() as session:
            return await groups.update(session, group_id, request, settings, clock.now())

    @router.get(
        "/groups/{group_id}/meetings",
        response_model=list[GroupMeetingView],
        summary="A group's meetings, soonest first (coming ones only unless asked)",
    )
    async def meetings(group_id: RecordIdPath, include_past: bool = False) -> list[GroupMeeting]:
        async with runtime.sessionmaker() as session:
            await get_or_not_found(session, Group, group_id, f"group {group_id!r}")
            query = select(GroupMeeting).where(col(GroupMeeting.group_id) == group_id)
            if not include_past:
                query = query.where(col(GroupMeeting.starts_at) > clock.now())
            return list(await session.scalars(query.order_by(col(GroupMeeting.starts_at))))

    @router.post(
        "/groups/{group_id}/enrolments",
        response_model=EnrolmentView,
        status_code=status.HTTP_201_CREATED,
        summary="Give a consenting patient a place (409 when full, closed or not eligible)",
    )
    async def enrol(group_id: RecordIdPath, request: EnrolRequest) -> GroupEnrolment:
        async with runtime.unit_of_work() as session:
            return await group_places.enrol(session, group_id, request.patient_ref, clock.now())

    @router.get(
        "/groups/{group_id}/enrolments",
        response_model=list[EnrolmentView],
        summary="The group's roster (those who left only if asked)",
    )
    async def roster(group_id: RecordIdPath, include_left: bool = False) -> list[GroupEnrolment]:
        query = select(GroupEnrolment).where(col(GroupEnrolment.group_id) == group_id)
        if not include_left:
            query = query.where(col(GroupEnrolment.status) == "enrolled")
        async with runtime.sessionmaker() as session:
            await get_or_not_found(session, Group, group_id, f"group {group_id!r}")
            return list(await session.scalars(query.order_by(col(GroupEnrolment.enrolled_at))))

    @router.post(
        "/groups/{group_id}/enrolments/{patient_ref}/leave",
        response_model=EnrolmentView,
        summary="A patient leaves the group (the reason is recorded)",
    )
    async def leave(
        group_id: RecordIdPath, patient_ref: RecordIdPath, request: LeaveRequest
    ) -> GroupEnrolment:
        async with runtime.unit_of_work() as session:
            return await group_places.leave(
                session, group_id, patient_ref, request.reason, clock.now()
            )

    @router.get(
        "/group-meetings/{meeting_id}",
        response_model=HeldGroupMeetingView,
        summary="One meeting, with attendance once held",
    )
    async def meeting(meeting_id: RecordIdPath) -> HeldGroupMeetingView:
        async with runtime.sessionmaker() as session:
            row = await get_or_not_found(
                session, GroupMeeting, meeting_id, f"group meeting {meeting_id!r}"
            )
            return _held(row, await group_attendance.attendance(session, meeting_id))

    @router.post(
        "/group-meetings/{meeting_id}/attendance",
        response_model=HeldGroupMeetingView,
        summary="Record the meeting as held: who came (other enrolled patients were absent)",
    )
    async def attend(meeting_id: RecordIdPath, request: AttendanceRequest) -> HeldGroupMeetingView:
        async with runtime.unit_of_work() as session:
            row, attendance = await group_attendance.record(
                session, meeting_id, request.attended, clock.now()
            )
            return _held(row, attendance)

    @router.get(
        "/mentors/{mentor_id}/group-meetings",
        response_model=list[GroupMeetingView],
        summary="Coming group meetings a mentor facilitates (as substitute too)",
    )
    async def facilitating(mentor_id: RecordIdPath) -> list[GroupMeeting]:
        async with runtime.sessionmaker() as session:
            coming = await group_meetings.coming(session, clock.now())
        return [m for m in coming if mentor_id in m.facilitator_ids]

    @router.get(
        "/patients/{patient_ref}/group-offers",
        response_model=list[OfferView],
        summary="Groups a matched patient is offered: their branch and language, with room",
    )
    async def offers(patient_ref: RecordIdPath) -> list[OfferView]:
        async with runtime.sessionmaker() as session:
            found = await group_places.offers(session, patient_ref)
        return [
            OfferView(match_id=match_id, group=GroupView.model_validate(group))
            for match_id, group in found
        ]

    return router
