"""Aftercare's closed loop over REST: follow-ups and their contacts, drop-off reasons, and
readmissions."""

from typing import Literal

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, select
from sqlmodel import col

from aftercare import domain, follow_ups, handlers
from aftercare.api import CARE, ensure_enrolment
from aftercare.config import AftercareSettings
from aftercare.models import Enrolment, FollowUp, Readmission
from aftercare.reach import REACH
from aftercare.schemas import (
    ContactRequest,
    DropOffRequest,
    EnrolmentView,
    FollowUpView,
    ReadmissionView,
)
from shared.access import Access, allow, claim_person, ensure_visible, visible
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.fields import Code, RecordId, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

PATIENT_STAFF = allow("coordinator", "clinician")


def follow_ups_of(access: Access) -> ColumnElement[bool]:
    """Follow-ups a caller reaches: their branch's, or a mentor's mentees'."""
    return visible(access, REACH, branch=col(FollowUp.branch), patient=col(FollowUp.patient_ref))


def build_follow_up_router(
    runtime: ServiceRuntime, settings: AftercareSettings, clock: Clock
) -> APIRouter:
    """Routes for follow-ups, drop-offs and readmissions."""
    router = APIRouter(tags=["follow-up"], responses=ERROR_RESPONSES)

    @router.get(
        "/follow-ups", response_model=list[FollowUpView], summary="Follow-ups, soonest due first"
    )
    async def list_follow_ups(
        episode_id: RecordId | None = None,
        patient_ref: RecordId | None = None,
        branch: Code | None = None,
        status_filter: Literal["due", "completed", "missed", "cancelled"] | None = Query(
            None, alias="status"
        ),
        limit: int = Query(200, ge=1, le=1000),
        access: Access = CARE,
    ) -> list[FollowUp]:
        query = select(FollowUp).where(follow_ups_of(access)).order_by(col(FollowUp.due_by))
        for column, value in (
            (col(FollowUp.episode_id), episode_id),
            (col(FollowUp.patient_ref), patient_ref),
            (col(FollowUp.branch), branch),
            (col(FollowUp.status), status_filter),
        ):
            if value is not None:
                query = query.where(column == value)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.limit(limit)))

    @router.post(
        "/follow-ups/{follow_up_id}/contacts",
        response_model=FollowUpView,
        summary="Record a try to reach the patient (reached in the window: completed)",
    )
    async def contact(
        follow_up_id: RecordIdPath, request: ContactRequest, access: Access = CARE
    ) -> FollowUp:
        claim_person(access, request.by, "by")
        now = clock.now()
        async with runtime.unit_of_work() as session:
            what = f"follow-up {follow_up_id!r}"
            key = col(FollowUp.follow_up_id)
            await ensure_visible(session, key, follow_up_id, follow_ups_of(access), what)
            row, _ = await follow_ups.record_contact(
                session,
                follow_up_id,
                at=request.at or now,
                reached=request.reached,
                channel=request.channel,
                by=request.by,
                settings=settings,
                now=now,
            )
            return row

    @router.post(
        "/enrolments/{enrolment_id}/drop-off",
        response_model=EnrolmentView,
        summary="The patient stopped coming: the enrolment ends with the reason",
    )
    async def drop_off(
        enrolment_id: RecordIdPath, request: DropOffRequest, access: Access = CARE
    ) -> Enrolment:
        async with runtime.unit_of_work() as session:
            await ensure_enrolment(session, access, enrolment_id)
            row = await get_or_not_found(
                session, Enrolment, enrolment_id, f"enrolment {enrolment_id!r}", for_update=True
            )
            if row.status != "enrolled":
                raise Conflict(f"the enrolment is {row.status}; only an enrolled patient drops off")
            await handlers.cancel(
                session, row, f"{domain.DROPPED_OUT}{request.reason}", settings, None
            )
            return row

    @router.get(
        "/readmissions",
        response_model=list[ReadmissionView],
        summary="Readmissions within 30 days at any branch, newest first",
    )
    async def readmissions(
        branch: Code | None = None,
        patient_ref: RecordId | None = None,
        access: Access = PATIENT_STAFF,
    ) -> list[Readmission]:
        query = (
            select(Readmission)
            .where(visible(access, REACH, branch=col(Readmission.branch)))
            .order_by(col(Readmission.admitted_at).desc())
        )
        if branch is not None:
            query = query.where(col(Readmission.branch) == branch)
        if patient_ref is not None:
            query = query.where(col(Readmission.patient_ref) == patient_ref)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.limit(500)))

    return router
