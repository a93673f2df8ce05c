"""Peer-led groups REST API: set up and change groups, their meetings, enrolment, attendance,
and the groups offered to a patient."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import group_attendance, group_meetings, group_places, groups
from sessions.api import MENTORING, OVERSIGHT
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
    PatientAudience,
    Setting,
)
from sessions.models import Group, GroupAttendance, GroupEnrolment, GroupMeeting
from sessions.reach import REACH, ensure_group_people, ensure_mentor, groups_of
from shared.access import (
    BRANCH_ROLES,
    Access,
    allow,
    ensure_patient,
    forbid_other_branch,
    visible,
)
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import NotFound
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


GROUP_KEEPERS = allow("coordinator", "supervisor")
ANY_STAFF = allow("coordinator", "clinician", "supervisor", "mentor")


async def _group(session: AsyncSession, access: Access, group_id: str) -> Group:
    group = await session.get(Group, group_id)
    if group is None or not (
        access.role not in BRANCH_ROLES or group.network_wide or access.reaches_branch(group.branch)
    ):
        raise NotFound(f"no group {group_id!r}")
    return group


def _people_branch(group: Group) -> str:
    """Whose staff see everyone in a group: its branch's, and for a network-wide group (people
    of every branch) only staff of every branch ("" is no branch)."""
    return "" if group.network_wide else group.branch


async def _roster_scope(session: AsyncSession, access: Access, group_id: str) -> Any:
    """Who on a group's roster the caller sees: everyone, for those who see its people; for a
    network-wide group, any branch's staff see the patients they reach."""
    group = await _group(session, access, group_id)
    if group.network_wide and access.role in BRANCH_ROLES:
        return visible(access, REACH, patient=col(GroupEnrolment.patient_ref))
    what = f"group {group_id!r}"
    await ensure_group_people(session, access, group.branch, group.facilitator_ids, what)
    return true()


async def _roster_reach(session: AsyncSession, access: Access, group_id: str) -> Group:
    group = await _group(session, access, group_id)
    await ensure_group_people(
        session, access, group.branch, group.facilitator_ids, f"group {group_id!r}"
    )
    return group


async def _meeting_reach(session: AsyncSession, access: Access, meeting_id: str) -> GroupMeeting:
    what = f"group meeting {meeting_id!r}"
    row = await get_or_not_found(session, GroupMeeting, meeting_id, what)
    group = await session.get(Group, row.group_id)
    branch = _people_branch(group) if group is not None else ""
    facilitators = [*row.facilitator_ids, *(group.facilitator_ids if group is not None else [])]
    await ensure_group_people(session, access, branch, facilitators, what)
    return row


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
    async def create_group(request: GroupRequest, access: Access = GROUP_KEEPERS) -> Group:
        forbid_other_branch(access, request.branch)
        async with runtime.unit_of_work() as session:
            return await groups.create(session, request, settings, clock.now())

    @router.get(
        "/groups",
        response_model=list[GroupView],
        summary="Groups, by branch and kind (a focus: groups with it among theirs)",
    )
    async def list_groups(
        branch: Code | None = None,
        setting: Setting | None = None,
        focus: Focus | None = None,
        language: LanguageCode | None = None,
        network_wide: bool | None = None,
        include_closed: bool = False,
        access: Access = ANY_STAFF,
    ) -> list[Group]:
        query = (
            select(Group)
            .where(groups_of(access))
            .order_by(col(Group.branch), col(Group.weekday), col(Group.start_time))
        )
        for column, value in (
            (Group.branch, branch),
            (Group.setting, setting),
            (Group.language, language),
            (Group.network_wide, network_wide),
        ):
            if value is not None:
                query = query.where(col(column) == value)
        if not include_closed:
            query = query.where(col(Group.status) == "active")
        async with runtime.sessionmaker() as session:
            found = list(await session.scalars(query))
        return [g for g in found if focus is None or focus in g.focuses]

    @router.get("/groups/{group_id}", response_model=GroupView, summary="One group")
    async def get_group(group_id: RecordIdPath, access: Access = ANY_STAFF) -> Group:
        async with runtime.sessionmaker() as session:
            return await _group(session, access, group_id)

    @router.patch(
        "/groups/{group_id}",
        response_model=GroupView,
        summary="Change facilitators, capacity or end date, or close the group",
    )
    async def update_group(
        group_id: RecordIdPath, request: GroupUpdate, access: Access = GROUP_KEEPERS
    ) -> Group:
        async with runtime.unit_of_work() as session:
            await _roster_reach(session, access, group_id)  # supervisors: their mentors' groups
            return await groups.update(session, group_id, request, settings, clock.now())

    @router.get(
        "/groups/{group_id}/meetings",
        response_model=list[GroupMeetingView],
        summary="A group's meetings, soonest first (coming ones only unless asked)",
    )
    async def meetings(
        group_id: RecordIdPath, include_past: bool = False, access: Access = ANY_STAFF
    ) -> list[GroupMeeting]:
        async with runtime.sessionmaker() as session:
            await _group(session, access, group_id)
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
    async def enrol(
        group_id: RecordIdPath, request: EnrolRequest, access: Access = MENTORING
    ) -> GroupEnrolment:
        async with runtime.unit_of_work() as session:
            await _group(session, access, group_id)
            await ensure_patient(session, access, REACH, request.patient_ref)
            return await group_places.enrol(session, group_id, request, clock.now())

    @router.get(
        "/groups/{group_id}/enrolments",
        response_model=list[EnrolmentView],
        summary="The group's roster (those who left only if asked)",
    )
    async def roster(
        group_id: RecordIdPath, include_left: bool = False, access: Access = OVERSIGHT
    ) -> list[GroupEnrolment]:
        query = select(GroupEnrolment).where(col(GroupEnrolment.group_id) == group_id)
        if not include_left:
            query = query.where(col(GroupEnrolment.status) == "enrolled")
        async with runtime.sessionmaker() as session:
            query = query.where(await _roster_scope(session, access, group_id))
            return list(await session.scalars(query.order_by(col(GroupEnrolment.enrolled_at))))

    @router.post(
        "/groups/{group_id}/enrolments/{patient_ref}/leave",
        response_model=EnrolmentView,
        summary="A patient leaves the group (the reason is recorded)",
    )
    async def leave(
        group_id: RecordIdPath,
        patient_ref: RecordIdPath,
        request: LeaveRequest,
        access: Access = MENTORING,
    ) -> GroupEnrolment:
        async with runtime.unit_of_work() as session:
            group = await _group(session, access, group_id)
            if group.network_wide and access.role in BRANCH_ROLES:
                await ensure_patient(session, access, REACH, patient_ref)
            else:
                await _roster_reach(session, access, group_id)
            return await group_places.leave(
                session, group_id, patient_ref, request.reason, clock.now()
            )

    @router.get(
        "/group-meetings/{meeting_id}",
        response_model=HeldGroupMeetingView,
        summary="One meeting, with attendance once held",
    )
    async def meeting(meeting_id: RecordIdPath, access: Access = OVERSIGHT) -> HeldGroupMeetingView:
        async with runtime.sessionmaker() as session:
            row = await _meeting_reach(session, access, meeting_id)
            return _held(row, await group_attendance.attendance(session, meeting_id))

    @router.post(
        "/group-meetings/{meeting_id}/attendance",
        response_model=HeldGroupMeetingView,
        summary="Record the meeting as held: who came (other enrolled patients were absent)",
    )
    async def attend(
        meeting_id: RecordIdPath, request: AttendanceRequest, access: Access = MENTORING
    ) -> HeldGroupMeetingView:
        async with runtime.unit_of_work() as session:
            await _meeting_reach(session, access, meeting_id)
            row, attendance = await group_attendance.record(
                session, meeting_id, request.attended, clock.now()
            )
            return _held(row, attendance)

    @router.get(
        "/mentors/{mentor_id}/group-meetings",
        response_model=list[GroupMeetingView],
        summary="Coming group meetings a mentor facilitates (as substitute too)",
    )
    async def facilitating(
        mentor_id: RecordIdPath, access: Access = OVERSIGHT
    ) -> list[GroupMeeting]:
        async with runtime.sessionmaker() as session:
            await ensure_mentor(session, access, mentor_id)
            coming = await group_meetings.coming(session, clock.now())
        return [m for m in coming if mentor_id in m.facilitator_ids]

    @router.get(
        "/patients/{patient_ref}/group-offers",
        response_model=list[OfferView],
        summary="Groups a matched patient is offered: their branch's and network-wide ones in "
        "their language, with room; groups for an audience only if gender/age_band fit",
    )
    async def offers(
        patient_ref: RecordIdPath,
        patient: Annotated[PatientAudience, Query()],
        access: Access = MENTORING,
    ) -> list[OfferView]:
        async with runtime.sessionmaker() as session:
            await ensure_patient(session, access, REACH, patient_ref)
            found = await group_places.offers(session, patient_ref, patient)
        return [
            OfferView(match_id=match_id, group=GroupView.model_validate(group))
            for match_id, group in found
        ]

    return router
