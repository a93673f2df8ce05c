"""Reads for one transaction that applies a group of EHR messages: what the group will look
up is loaded with one query per kind up front, and kept current as the group writes.

Without a prefetch (REST, FHIR, a message alone) every lookup goes to the database. A merge
moves identifiers in bulk, so it drops the cache and the rest of the group reads afresh.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.ehr.models import Episode
from intake.hl7.models import Hl7Message
from intake.identity.domain import Identifier
from intake.identity.models import Patient, PatientIdentifier

_KEY = "intake.lookups"
VisitKey = tuple[str, str]
LogKey = tuple[str, str]


async def query_owners(
    session: AsyncSession, identifiers: Iterable[Identifier]
) -> dict[Identifier, str]:
    """Which patient holds each identifier (absent: nobody), from the database."""
    wanted = list(identifiers)
    if not wanted:
        return {}
    key = (
        col(PatientIdentifier.authority),
        col(PatientIdentifier.type),
        col(PatientIdentifier.value),
    )
    rows = await session.execute(
        select(*key, col(PatientIdentifier.patient_ref)).where(
            tuple_(*key).in_([(i.authority, i.type, i.value) for i in wanted])
        )
    )
    return {Identifier(authority, kind, value): ref for authority, kind, value, ref in rows}


@dataclass
class Prefetched:
    """Answers for the keys a group asked about; a key not covered is read from the database."""

    owners: dict[Identifier, str] = field(default_factory=dict)
    identifiers: set[Identifier] = field(default_factory=set)
    visits: dict[VisitKey, Episode | None] = field(default_factory=dict)
    logs: dict[LogKey, Hl7Message | None] = field(default_factory=dict)


async def prefetch(
    session: AsyncSession,
    identifiers: set[Identifier],
    visits: set[VisitKey],
    logs: set[LogKey],
) -> None:
    """Load owners (and their patients), visits and HL7 log rows for a group: four queries."""
    cache = Prefetched(identifiers=set(identifiers))
    cache.owners = await query_owners(session, identifiers)
    if cache.owners:
        refs = set(cache.owners.values())
        # Iterating is what puts the patients in the session's identity map.
        list(await session.scalars(select(Patient).where(col(Patient.patient_ref).in_(refs))))
    cache.visits = dict.fromkeys(visits)
    if visits:
        found = await session.scalars(
            select(Episode).where(
                tuple_(col(Episode.visit_authority), col(Episode.visit_number)).in_(list(visits))
            )
        )
        for episode in found:
            cache.visits[(episode.visit_authority, episode.visit_number)] = episode
    cache.logs = dict.fromkeys(logs)
    if logs:
        stored = await session.scalars(
            select(Hl7Message).where(
                tuple_(col(Hl7Message.sender), col(Hl7Message.control_id)).in_(list(logs))
            )
        )
        for logged in stored:
            cache.logs[(logged.sender, logged.control_id)] = logged
    session.info[_KEY] = cache


def cached(session: AsyncSession) -> Prefetched | None:
    """The group's cache, if this transaction has one."""
    return session.info.get(_KEY)


def forget(session: AsyncSession) -> None:
    """Drop the cache (after a bulk change it cannot follow)."""
    session.info.pop(_KEY, None)


def remember_owner(session: AsyncSession, identifier: Identifier, patient_ref: str) -> None:
    """A new identifier row was added in this transaction."""
    cache = cached(session)
    if cache is not None:
        cache.owners[identifier] = patient_ref
        cache.identifiers.add(identifier)


def remember_visit(session: AsyncSession, row: Episode) -> None:
    """A new episode was added in this transaction."""
    cache = cached(session)
    if cache is not None:
        cache.visits[(row.visit_authority, row.visit_number)] = row


def remember_log(session: AsyncSession, row: Hl7Message) -> None:
    """An HL7 log row was added in this transaction."""
    cache = cached(session)
    if cache is not None:
        cache.logs[(row.sender, row.control_id)] = row
