"""FHIR R4 endpoints: Encounter create/update/read and transaction Bundles (Patient+Encounter)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import col

from intake.ehr.domain import EhrOptions
from intake.ehr.models import Episode
from intake.fhir import mapping
from intake.fhir.handlers import (
    EntryError,
    apply_bundle,
    apply_encounter,
    check_branch_reach,
    resolve_subject,
)
from intake.fhir.outcome import FHIR_JSON, invalid_resource, operation_outcome
from intake.reach import Feed, Readers, episodes_of
from shared.access import Access
from shared.depends import Runtime, options
from shared.errors import DomainError, Invalid, NotFound
from shared.runtime import ServiceRuntime

FHIR_STATUS = {"admitted": "in-progress", "discharged": "finished", "cancelled": "cancelled"}
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not a valid FHIR R4 resource (OperationOutcome)"},
    401: {"description": "No valid bearer token"},
    403: {"description": "The token's role or branch may not do this (OperationOutcome)"},
    404: {"description": "No such resource (OperationOutcome)"},
    409: {"description": "Not allowed in the visit's current state (OperationOutcome)"},
    422: {"description": "Valid FHIR that intake cannot take (OperationOutcome)"},
}
AnyJson = Annotated[dict[str, Any], Body(media_type=FHIR_JSON)]
Options = Annotated[EhrOptions, options(EhrOptions)]

# Routes carry no docstring: FastAPI would publish it as the operation's description.
router = APIRouter(prefix="/fhir", tags=["fhir"], responses=RESPONSES)


def encounter_resource(row: Episode) -> dict[str, Any]:
    """The Encounter intake holds for an episode."""
    period = {"start": row.admitted_at.isoformat()}
    if row.discharged_at:
        period["end"] = row.discharged_at.isoformat()
    return {
        "resourceType": "Encounter",
        "id": row.episode_id,
        "status": FHIR_STATUS[row.status],
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "IMP",
        },
        "identifier": [{"system": row.visit_authority, "value": row.visit_number}],
        "subject": {"reference": f"Patient/{row.patient_ref}"},
        "serviceProvider": {"reference": f"Organization/{row.branch}"},
        "location": [{"location": {"display": row.ward}}],
        "period": period,
    }


def _fhir(body: dict[str, Any], status: int, location: str | None = None) -> JSONResponse:
    headers = {"Location": location} if location else None
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON, headers=headers)


def _domain_outcome(error: DomainError, expression: str = "") -> JSONResponse:
    code = {403: "forbidden", 404: "not-found", 409: "conflict"}.get(
        error.status_code, "processing"
    )
    return operation_outcome(error.status_code, [(code, error.reason, expression)])


def _parse(model: Any, body: dict[str, Any], name: str) -> Any:
    if body.get("resourceType") != name:
        raise Invalid(f"expected a {name} resource, got {body.get('resourceType')!r}")
    return model.model_validate(body)


async def _upsert(
    body: dict[str, Any],
    expected_id: str | None,
    access: Access,
    runtime: ServiceRuntime,
    ehr_options: EhrOptions,
) -> JSONResponse:
    """Apply an Encounter as sent (create or update) and answer with the Encounter held."""
    try:
        encounter = _parse(Encounter, body, "Encounter")
    except ValidationError as error:
        return invalid_resource("Encounter", error)
    except DomainError as error:
        return _domain_outcome(error, "Encounter")
    try:
        async with runtime.unit_of_work() as session:
            visit = mapping.visit(encounter)
            check_branch_reach(access, visit)
            patient = await resolve_subject(session, encounter, {})
            row, created = await apply_encounter(
                session, patient, visit, encounter.status, ehr_options
            )
            if expected_id is not None and not created and row.episode_id != expected_id:
                raise NotFound(f"Encounter/{expected_id} is not the visit this identifies")
            resource = encounter_resource(row)
    except DomainError as error:
        return _domain_outcome(error)
    return _fhir(resource, 201 if created else 200, f"Encounter/{row.episode_id}")


@router.post("/Encounter", summary="Create an Encounter (admit, discharge or cancel a visit)")
async def create(body: AnyJson, access: Feed, runtime: Runtime, ehr_options: Options) -> Response:
    return await _upsert(body, None, access, runtime, ehr_options)


@router.put("/Encounter/{encounter_id}", summary="Update an Encounter (status, location)")
async def update(
    encounter_id: str, body: AnyJson, access: Feed, runtime: Runtime, ehr_options: Options
) -> Response:
    return await _upsert(body, encounter_id, access, runtime, ehr_options)


@router.get("/Encounter/{encounter_id}", summary="Read an Encounter")
async def read(encounter_id: str, access: Readers, runtime: Runtime) -> Response:
    async with runtime.sessionmaker() as session:
        scope = episodes_of(access)
        query = select(Episode).where(col(Episode.episode_id) == encounter_id, scope)
        row = await session.scalar(query)
    if row is None:
        return operation_outcome(404, [("not-found", f"no Encounter/{encounter_id}", "")])
    return _fhir(encounter_resource(row), 200)


@router.post("", summary="A transaction Bundle of Patient and Encounter entries (all or none)")
async def transaction(
    body: AnyJson, access: Feed, runtime: Runtime, ehr_options: Options
) -> Response:
    try:
        bundle = _parse(Bundle, body, "Bundle")
    except ValidationError as error:
        return invalid_resource("Bundle", error)
    except DomainError as error:
        return _domain_outcome(error, "Bundle")
    if bundle.type != "transaction":
        return operation_outcome(422, [("not-supported", "only transaction Bundles", "")])
    try:
        async with runtime.unit_of_work() as session:
            entries = await apply_bundle(session, bundle, ehr_options, access)
    except ValidationError as error:
        return invalid_resource("Bundle.entry", error)
    except EntryError as failed:
        return _domain_outcome(failed.error, failed.where)
    except DomainError as error:
        return _domain_outcome(error, "Bundle")
    return _fhir({"resourceType": "Bundle", "type": "transaction-response", "entry": entries}, 200)
