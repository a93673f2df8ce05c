"""Directory REST API: coordinators keep people; a person keeps their own preferences."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from notify.people import handlers
from notify.people.models import Person
from notify.people.options import PeopleOptions
from notify.people.schemas import PersonRequest, PersonView
from shared.access import Access, allow
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.errors import NotFound
from shared.fields import Offset, RecordIdPath
from shared.web import ERROR_RESPONSES

STAFF = ("coordinator", "clinician", "supervisor", "mentor", "ops")
Keeper = Annotated[Access, allow("coordinator")]
Staff = Annotated[Access, allow(*STAFF)]
Options = Annotated[PeopleOptions, options(PeopleOptions)]

router = APIRouter(tags=["people"], responses=ERROR_RESPONSES)


def is_coordinator(access: Access) -> bool:
    """Coordinators (and a local run without authentication) keep the directory."""
    return access.is_local or access.role == "coordinator"


def ensure_self_or_coordinator(access: Access, person_id: str) -> None:
    """404 for someone else's entry unless the caller is a coordinator."""
    if not is_coordinator(access) and access.subject != person_id:
        raise NotFound(f"no person {person_id!r}")


@router.put("/people/{person_id}", response_model=PersonView, summary="Add or change a person")
async def put_person(
    person_id: RecordIdPath,
    request: PersonRequest,
    runtime: Runtime,
    opts: Options,
    access: Staff,
) -> PersonView:
    ensure_self_or_coordinator(access, person_id)
    async with runtime.unit_of_work() as session:
        row = await handlers.put_person(
            session, person_id, request, opts.clock.now(), coordinator=is_coordinator(access)
        )
        return handlers.view(row)


@router.get("/people/{person_id}", response_model=PersonView, summary="One person")
async def get_person(person_id: RecordIdPath, runtime: Runtime, access: Staff) -> PersonView:
    ensure_self_or_coordinator(access, person_id)
    async with runtime.sessionmaker() as session:
        row = await get_or_not_found(session, Person, person_id, f"person {person_id!r}")
        return handlers.view(row)


@router.get("/people", response_model=list[PersonView], summary="The directory (coordinators)")
async def list_people(
    runtime: Runtime,
    access: Keeper,
    role: str | None = None,
    branch: str | None = None,
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[PersonView]:
    async with runtime.sessionmaker() as session:
        rows = await session.scalars(select(Person).order_by(col(Person.person_id)))
    people = [
        row
        for row in rows
        if (role is None or role in row.roles)
        and (branch is None or not row.branches or branch in row.branches)
    ]
    return [handlers.view(row) for row in people[offset : offset + limit]]
