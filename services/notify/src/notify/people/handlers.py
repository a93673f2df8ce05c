"""Use cases of the directory: keep a person, and read who alerts can reach."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.people.domain import Contact
from notify.people.models import Person
from notify.people.schemas import PersonRequest, PersonView, QuietHours
from shared.errors import Forbidden


async def put_person(
    session: AsyncSession,
    person_id: str,
    request: PersonRequest,
    now: datetime,
    *,
    coordinator: bool,
) -> Person:
    """Create or replace a person; a non-coordinator may only change their own preferences."""
    row = await session.get(Person, person_id)
    if not coordinator and (
        row is None
        or sorted(row.roles) != sorted(request.roles)
        or sorted(row.branches) != sorted(request.branches)
    ):
        raise Forbidden("only a coordinator adds people or changes their roles and branches")
    quiet = request.quiet_hours
    values: dict[str, Any] = {
        "roles": sorted(set(request.roles)),
        "branches": sorted(set(request.branches)),
        "email": request.email,
        "phone": request.phone,
        "language": request.language,
        "timezone": request.timezone,
        "channels": {kind: sorted(set(chosen)) for kind, chosen in request.channels.items()},
        "quiet_start": quiet.start if quiet else None,
        "quiet_end": quiet.end if quiet else None,
        "updated_at": now,
    }
    if row is None:
        row = Person(person_id=person_id, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
    await session.flush()
    return row


def view(row: Person) -> PersonView:
    """The HTTP view of a person."""
    quiet = (
        QuietHours(start=row.quiet_start, end=row.quiet_end)
        if row.quiet_start and row.quiet_end
        else None
    )
    return PersonView(
        person_id=row.person_id,
        roles=row.roles,
        branches=row.branches,
        email=row.email,
        phone=row.phone,
        language=row.language,
        timezone=row.timezone,
        channels=row.channels,
        quiet_hours=quiet,
        updated_at=row.updated_at,
        version=row.version,
    )


def contact(row: Person) -> Contact:
    """What routing needs of a person."""
    return Contact(
        person_id=row.person_id,
        roles=frozenset(row.roles),
        branches=frozenset(row.branches),
        email=row.email,
        phone=row.phone,
        timezone=row.timezone,
        channels=row.channels,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        language=row.language,
    )


async def directory(session: AsyncSession) -> list[Contact]:
    """Everyone in the directory (a hospital network's staff: small enough to route in memory)."""
    return [contact(row) for row in await session.scalars(select(Person))]


async def find(session: AsyncSession, person_id: str) -> Contact | None:
    """One person, or None when the directory does not know them."""
    row = await session.get(Person, person_id)
    return contact(row) if row is not None else None
