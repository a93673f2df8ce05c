"""Peer-led groups REST API: set up and change groups, their meetings, enrolment, attendance,
and the groups offered to a patient."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlmodel import col

from sessions.groups import attendance as group_attendance
from sessions.groups import handlers
from sessions.groups import meetings as group_meetings
from sessions.groups import places as group_places
from sessions.groups.models import Group, GroupAttendance, GroupEnrolment, GroupMeeting
from sessions.groups.options import GroupsOptions
from sessions.groups.reach import (
    ensure_roster,
    find_group,
    find_meeting,
    groups_of,
    roster_scope,
)
from sessions.groups.schemas import (
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
from sessions.reach import REACH, Mentoring, Oversight, ensure_mentor
from shared.access import BRANCH_ROLES, Access, allow, ensure_patient, forbid_other_branch
from shared.depends import Runtime, options
from shared.fields import Code, LanguageCode, RecordIdPath
from shared.web import ERROR_RESPONSES

GroupKeeper = Annotated[Access, allow("coordinator", "supervisor")]
AnyStaff = Annotated[Access, allow("coordinator", "clinician", "supervisor", "mentor")]
Options = Annotated[GroupsOptions, options(GroupsOptions)]

router = APIRouter(tags=["groups"], responses=ERROR_RESPONSES)


def _held(meeting: GroupMeeting, attendance: list[GroupAttendance]) -> HeldGroupMeetingView:
    return HeldGroupMeetingView.model_validate(
        {
            **GroupMeetingView.model_validate(meeting).model_dump(),
            "attendance": [AttendanceView.model_validate(a) for a in attendance],
        }
    )


@router.post(
    "/groups",
    response_model=GroupView,
    status_code=status.HTTP_201_CREATED,
    summary="Set up a peer-led group (facilitators must be certified for it)",
)
async def create_group(
    request: GroupRequest, runtime: Runtime, opts: Options, access: GroupKeeper
) -> Group:
    forbid_other_branch(access, request.branch)
    async with runtime.unit_of_work() as session:
        return await handlers.create(session, request, opts, opts.clock.now())


@router.get(
    "/groups",
    response_model=list[GroupView],
    summary="Groups, by branch and kind (a focus: groups with it among theirs)",
)
async def list_groups(
    runtime: Runtime,
    access: AnyStaff,
    branch: Code | None = None,
    setting: Setting | None = None,
    focus: Focus | None = None,
    language: LanguageCode | None = None,
    network_wide: bool | None = None,
    include_closed: bool = False,
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
async def get_group(group_id: RecordIdPath, runtime: Runtime, access: AnyStaff) -> Group:
    async with runtime.sessionmaker() as session:
        return await find_group(session, access, group_id)


@router.patch(
    "/groups/{group_id}",
    response_model=GroupView,
    summary="Change facilitators, capacity or end date, or close the group",
)
async def update_group(
    group_id: RecordIdPath,
    request: GroupUpdate,
    runtime: Runtime,
    opts: Options,
    access: GroupKeeper,
) -> Group:
    async with runtime.unit_of_work() as session:
        await ensure_roster(session, access, group_id)  # supervisors: their mentors' groups
        return await handlers.update(session, group_id, request, opts, opts.clock.now())


@router.get(
    "/groups/{group_id}/meetings",
    response_model=list[GroupMeetingView],
    summary="A group's meetings, soonest first (coming ones only unless asked)",
)
async def meetings(
    group_id: RecordIdPath,
    runtime: Runtime,
    opts: Options,
    access: AnyStaff,
    include_past: bool = False,
) -> list[GroupMeeting]:
    async with runtime.sessionmaker() as session:
        await find_group(session, access, group_id)
        query = select(GroupMeeting).where(col(GroupMeeting.group_id) == group_id)
        if not include_past:
            query = query.where(col(GroupMeeting.starts_at) > opts.clock.now())
        return list(await session.scalars(query.order_by(col(GroupMeeting.starts_at))))


@router.post(
    "/groups/{group_id}/enrolments",
    response_model=EnrolmentView,
    status_code=status.HTTP_201_CREATED,
    summary="Give a consenting patient a place (409 when full, closed or not eligible)",
)
async def enrol(
    group_id: RecordIdPath,
    request: EnrolRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> GroupEnrolment:
    async with runtime.unit_of_work() as session:
        await find_group(session, access, group_id)
        await ensure_patient(session, access, REACH, request.patient_ref)
        return await group_places.enrol(session, group_id, request, opts.clock.now())


@router.get(
    "/groups/{group_id}/enrolments",
    response_model=list[EnrolmentView],
    summary="The group's roster (those who left only if asked)",
)
async def roster(
    group_id: RecordIdPath, runtime: Runtime, access: Oversight, include_left: bool = False
) -> list[GroupEnrolment]:
    query = select(GroupEnrolment).where(col(GroupEnrolment.group_id) == group_id)
    if not include_left:
        query = query.where(col(GroupEnrolment.status) == "enrolled")
    async with runtime.sessionmaker() as session:
        query = query.where(await roster_scope(session, access, group_id))
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
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> GroupEnrolment:
    async with runtime.unit_of_work() as session:
        group = await find_group(session, access, group_id)
        if group.network_wide and access.role in BRANCH_ROLES:
            await ensure_patient(session, access, REACH, patient_ref)
        else:
            await ensure_roster(session, access, group_id)
        return await group_places.leave(
            session, group_id, patient_ref, request.reason, opts.clock.now()
        )


@router.get(
    "/group-meetings/{meeting_id}",
    response_model=HeldGroupMeetingView,
    summary="One meeting, with attendance once held",
)
async def meeting(
    meeting_id: RecordIdPath, runtime: Runtime, access: Oversight
) -> HeldGroupMeetingView:
    async with runtime.sessionmaker() as session:
        row = await find_meeting(session, access, meeting_id)
        return _held(row, await group_attendance.attendance(session, meeting_id))


@router.post(
    "/group-meetings/{meeting_id}/attendance",
    response_model=HeldGroupMeetingView,
    summary="Record the meeting as held: who came (other enrolled patients were absent)",
)
async def attend(
    meeting_id: RecordIdPath,
    request: AttendanceRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> HeldGroupMeetingView:
    async with runtime.unit_of_work() as session:
        await find_meeting(session, access, meeting_id)
        row, attendance = await group_attendance.record(
            session, meeting_id, request.attended, opts.clock.now()
        )
        return _held(row, attendance)


@router.get(
    "/mentors/{mentor_id}/group-meetings",
    response_model=list[GroupMeetingView],
    summary="Coming group meetings a mentor facilitates (as substitute too)",
)
async def facilitating(
    mentor_id: RecordIdPath, runtime: Runtime, opts: Options, access: Oversight
) -> list[GroupMeeting]:
    async with runtime.sessionmaker() as session:
        await ensure_mentor(session, access, mentor_id)
        coming = await group_meetings.coming(session, opts.clock.now())
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
    runtime: Runtime,
    access: Mentoring,
) -> list[OfferView]:
    async with runtime.sessionmaker() as session:
        await ensure_patient(session, access, REACH, patient_ref)
        found = await group_places.offers(session, patient_ref, patient)
    return [
        OfferView(match_id=match_id, group=GroupView.model_validate(group))
        for match_id, group in found
    ]
