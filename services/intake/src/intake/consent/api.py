"""Consent REST API: a patient's peer-support answer per stay, and the texts staff can show."""

from typing import Annotated

from fastapi import APIRouter

from intake.consent import handlers
from intake.consent.domain import CONSENT_TEXTS
from intake.consent.schemas import ConsentRequest, ConsentText, ConsentView
from intake.identity.handlers import reachable_patient
from intake.reach import Staff, episodes_of
from shared.access import Access, allow
from shared.depends import Runtime
from shared.web import ERROR_RESPONSES

Anyone = Annotated[
    Access, allow("ehr_feed", "coordinator", "clinician", "mentor", "supervisor", "privacy_officer")
]

# Routes carry no docstring: FastAPI would publish it as the operation's description.
router = APIRouter(tags=["intake"], responses=ERROR_RESPONSES)


@router.put(
    "/episodes/{episode_id}/consent",
    response_model=ConsentView,
    summary="Record the patient's peer-support answer for this stay (given/declined/withdrawn)",
)
async def record_stay_consent(
    episode_id: str, request: ConsentRequest, access: Staff, runtime: Runtime
) -> ConsentView:
    async with runtime.unit_of_work() as session:
        row = await handlers.record_for_episode(session, episode_id, request, episodes_of(access))
        return ConsentView.model_validate(row, from_attributes=True)


@router.get(
    "/episodes/{episode_id}/consent",
    response_model=ConsentView,
    summary="The patient's peer-support answer for this stay (404: not asked yet)",
)
async def stay_consent(episode_id: str, access: Staff, runtime: Runtime) -> ConsentView:
    async with runtime.sessionmaker() as session:
        row = await handlers.answer_for_episode(session, episode_id, episodes_of(access))
        return ConsentView.model_validate(row, from_attributes=True)


@router.put(
    "/patients/{patient_ref}/consent",
    response_model=ConsentView,
    summary="Record the patient's answer for their current stay (a withdrawal: every stay)",
)
async def record_consent(
    patient_ref: str, request: ConsentRequest, access: Staff, runtime: Runtime
) -> ConsentView:
    async with runtime.unit_of_work() as session:
        await reachable_patient(session, access, patient_ref)
        row = await handlers.record_for_patient(session, patient_ref, request)
        return ConsentView.model_validate(row, from_attributes=True)


@router.get(
    "/patients/{patient_ref}/consents",
    response_model=list[ConsentView],
    summary="The patient's peer-support answers, one per stay, latest first",
)
async def consents(patient_ref: str, access: Staff, runtime: Runtime) -> list[ConsentView]:
    async with runtime.sessionmaker() as session:
        await reachable_patient(session, access, patient_ref)
        rows = await handlers.answers_of(session, patient_ref)
        return [ConsentView.model_validate(row, from_attributes=True) for row in rows]


@router.get(
    "/consent-texts",
    response_model=list[ConsentText],
    summary="Consent texts staff can show, by version and language",
)
async def consent_texts(_: Anyone) -> list[ConsentText]:
    return [
        ConsentText(version=version, language=language, title=title)
        for (version, language), title in sorted(CONSENT_TEXTS.items())
    ]
