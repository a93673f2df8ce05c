"""Identity vault REST API: find a patient by an identifier, read their identity, erase it."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from intake import erasure
from intake.identity import domain
from intake.identity.handlers import find_patient, identifiers_of, reachable_patient
from intake.identity.models import Patient
from intake.identity.schemas import IdentifierView, PatientView
from intake.reach import REACH, Readers, Staff
from shared.access import Access, allow, reaches_patient
from shared.audit import declare_purpose
from shared.contracts.envelope import utcnow
from shared.depends import Runtime
from shared.errors import NotFound
from shared.web import ERROR_RESPONSES

Privacy = Annotated[Access, allow("privacy_officer")]

# Routes carry no docstring: FastAPI would publish it as the operation's description.
router = APIRouter(tags=["intake"], responses=ERROR_RESPONSES)


@router.post(
    "/patients/{patient_ref}/erasure",
    response_model=PatientView,
    summary="Erase the patient's identity at their request (DPDP); every service follows",
)
async def erase(patient_ref: str, access: Privacy, runtime: Runtime) -> PatientView:
    declare_purpose("dpdp_erasure")
    async with runtime.unit_of_work() as session:
        patient = await erasure.erase(
            session,
            (await reachable_patient(session, access, patient_ref)).patient_ref,
            utcnow(),
        )
        return await _patient_view(session, patient)


@router.get(
    "/patients",
    response_model=PatientView,
    summary="Find a patient by an identifier (authority, type, value), e.g. an MRN, an "
    "enterprise id or an ABHA number however written",
)
async def find(
    access: Readers,
    runtime: Runtime,
    value: str = Query(..., min_length=1, max_length=64),
    kind: str = Query(
        domain.MEDICAL_RECORD,
        alias="type",
        max_length=32,
        description="MR (default), PE, PI …, ABHA or ABHA-ADDRESS",
    ),
    authority: str = Query("", max_length=128, description="who assigned it (not needed for ABHA)"),
) -> PatientView:
    wanted = domain.make(authority, kind, value)
    async with runtime.sessionmaker() as session:
        patient = await find_patient(session, (wanted,))
        if patient is not None and not await reaches_patient(
            session, access, REACH, patient.patient_ref
        ):
            patient = None
        if patient is None:
            raise NotFound(f"no patient with that {wanted.type} of {wanted.authority}")
        return await _patient_view(session, patient)


@router.get("/patients/{patient_ref}", response_model=PatientView, summary="A patient's identity")
async def get_patient(patient_ref: str, access: Staff, runtime: Runtime) -> PatientView:
    async with runtime.sessionmaker() as session:
        return await _patient_view(session, await reachable_patient(session, access, patient_ref))


async def _patient_view(session: AsyncSession, patient: Patient) -> PatientView:
    held = await identifiers_of(session, patient.patient_ref)
    return PatientView(
        **patient.model_dump(exclude={"created_at", "updated_at"}),
        identifiers=[IdentifierView(**vars(i), display=domain.display(i)) for i in held],
    )
