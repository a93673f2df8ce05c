"""Intake REST API for mentors who are patients: a coordinator links or unlinks them."""

from typing import Annotated

from fastapi import APIRouter

from intake.mentors import handlers
from intake.mentors.models import MentorPatientLink
from intake.mentors.schemas import PatientLinkRequest, PatientLinkView
from shared.access import Access, allow
from shared.depends import Runtime
from shared.fields import RecordIdPath
from shared.web import ERROR_RESPONSES

Coordinator = Annotated[Access, allow("coordinator")]

# Routes carry no docstring: FastAPI would publish it as the operation's description.
router = APIRouter(tags=["mentors"], responses=ERROR_RESPONSES)


@router.put(
    "/mentors/{mentor_id}/patient-link",
    response_model=PatientLinkView,
    summary="Link a mentor to their own patient record (never matched to themselves, "
    "paused while admitted)",
)
async def link(
    mentor_id: RecordIdPath, request: PatientLinkRequest, access: Coordinator, runtime: Runtime
) -> MentorPatientLink:
    async with runtime.unit_of_work() as session:
        return await handlers.link(session, mentor_id, request.identifiers(), access.subject)


@router.delete(
    "/mentors/{mentor_id}/patient-link",
    response_model=PatientLinkView,
    summary="Remove a mentor's link to a patient record (it was a mistake)",
)
async def unlink(
    mentor_id: RecordIdPath, access: Coordinator, runtime: Runtime
) -> MentorPatientLink:
    async with runtime.unit_of_work() as session:
        return await handlers.unlink(session, mentor_id, access.subject)
