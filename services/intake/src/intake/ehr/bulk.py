"""New patients admitted to new visits, written for a whole group with one statement per table.

An EHR's catch-up replay or the REST batch is mostly admissions of people and stays intake has
never seen. For those the outcome is known before writing (a new patient, a new episode, no
consent to carry over), so the group is read with one query per kind and written with bulk
INSERTs instead of an ORM round trip per row. Anything else (a known patient or visit, an
identifier or visit shared inside the group) takes the per-message path. A concurrent writer
that inserts the same identifier, visit or MSH-10 meanwhile makes the bulk INSERT fail on the
primary or unique key: the caller's transaction rolls back and its messages are applied one
by one, so the uniqueness guarantees stay the database's.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Insert,
    String,
    Table,
    bindparam,
    insert,
    literal_column,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.ehr.domain import Visit, new_episode_id
from intake.ehr.models import Episode
from intake.hl7.models import Hl7Message
from intake.identity.domain import Identifier, PatientDetails, new_patient_ref
from intake.identity.models import Patient, PatientIdentifier
from shared.contracts.envelope import utcnow
from shared.contracts.intake import EpisodeState

VisitKey = tuple[str, str]
_DEMOGRAPHICS = ("birth_date", "sex", "phone", "language")


@dataclass(frozen=True)
class NewAdmission:
    """An admission to write in bulk: who, which stay, and the episode's language."""

    patient: PatientDetails
    visit: Visit
    language: str


@functools.cache
def _insert(model: Any) -> Insert:
    table: Table = model.__table__
    return insert(table)


async def insert_rows(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """One INSERT of `rows` into `model`'s table, on the session's connection (the ORM's
    per-row bookkeeping is what a bulk write is meant to skip)."""
    if rows:
        connection = await session.connection()
        await connection.execute(_insert(model), rows)


_IDENTIFIER = tuple_(
    col(PatientIdentifier.authority), col(PatientIdentifier.type), col(PatientIdentifier.value)
)
_VISIT = tuple_(col(Episode.visit_authority), col(Episode.visit_number))
_MESSAGE = tuple_(col(Hl7Message.sender), col(Hl7Message.control_id))
_NOTHING = literal_column("''", String())
# One statement for the three kinds, built once so SQLAlchemy compiles it once.
_SEEN = union_all(
    select(literal_column("'identifier'"), *_IDENTIFIER.clauses).where(
        _IDENTIFIER.in_(bindparam("identifiers", expanding=True))
    ),
    select(literal_column("'visit'"), *_VISIT.clauses, _NOTHING).where(
        _VISIT.in_(bindparam("visits", expanding=True))
    ),
    select(literal_column("'message'"), *_MESSAGE.clauses, _NOTHING).where(
        _MESSAGE.in_(bindparam("messages", expanding=True))
    ),
)


@dataclass(frozen=True)
class Seen:
    """Which of the asked identifiers, visits and HL7 message keys the database holds."""

    identifiers: frozenset[Identifier]
    visits: frozenset[VisitKey]
    messages: frozenset[tuple[str, str]]


async def seen(
    session: AsyncSession,
    identifiers: Iterable[Identifier],
    visits: Iterable[VisitKey],
    messages: Iterable[tuple[str, str]] = (),
) -> Seen:
    """One query for everything a group must know before it writes."""
    connection = await session.connection()
    rows = await connection.execute(
        _SEEN,
        {
            "identifiers": [(i.authority, i.type, i.value) for i in identifiers],
            "visits": list(visits),
            "messages": list(messages),
        },
    )
    found: dict[str, set[Any]] = {"identifier": set(), "visit": set(), "message": set()}
    for kind, first, second, third in rows:
        found[kind].add(Identifier(first, second, third) if third else (first, second))
    return Seen(
        frozenset(found["identifier"]), frozenset(found["visit"]), frozenset(found["message"])
    )


def unseen(candidates: Sequence[NewAdmission], known: Seen) -> list[bool]:
    """For each candidate: is it a new patient on a new visit, sharing no identifier or visit
    with another candidate?"""
    uses: dict[object, int] = {}
    for candidate in candidates:
        for used in {*candidate.patient.identifiers, _visit_key(candidate.visit)}:
            uses[used] = uses.get(used, 0) + 1
    return [
        _visit_key(c.visit) not in known.visits
        and not any(i in known.identifiers for i in c.patient.identifiers)
        and all(uses[used] == 1 for used in (*c.patient.identifiers, _visit_key(c.visit)))
        for c in candidates
    ]


def _visit_key(visit: Visit) -> VisitKey:
    return (visit.authority, visit.number)


async def write(session: AsyncSession, admissions: Sequence[NewAdmission]) -> list[EpisodeState]:
    """Insert the patients, their identifiers and the admitted episodes (three statements);
    return each episode's state, in order, for the caller to announce."""
    now = utcnow()
    patients: list[dict[str, Any]] = []
    identifiers: list[dict[str, Any]] = []
    episodes: list[dict[str, Any]] = []
    states: list[EpisodeState] = []
    for admission in admissions:
        details, visit = admission.patient, admission.visit
        patient_ref = new_patient_ref()
        patients.append(_patient_row(patient_ref, details, now))
        identifiers.extend(
            {"patient_ref": patient_ref, **vars(identifier)}
            for identifier in dict.fromkeys(details.identifiers)
        )
        state = EpisodeState(
            version=1,
            episode_id=new_episode_id(),
            patient_ref=patient_ref,
            branch=visit.branch,
            ward=visit.ward,
            language=admission.language,
            status="admitted",
            admitted_at=visit.admitted_at or visit.discharged_at or now,
        )
        episodes.append(
            {
                **state.model_dump(),
                "visit_authority": visit.authority,
                "visit_number": visit.number,
                "updated_at": now,
            }
        )
        states.append(state)
    await insert_rows(session, Patient, patients)
    await insert_rows(session, PatientIdentifier, identifiers)
    await insert_rows(session, Episode, episodes)
    return states


def _patient_row(patient_ref: str, details: PatientDetails, now: Any) -> dict[str, Any]:
    """What `resolve_patient` stores for a patient first seen with these details."""
    row: dict[str, Any] = {
        "patient_ref": patient_ref,
        "given_name": details.given_name or "",
        "family_name": details.family_name or "",
        "merged_into": None,
        "erased_at": None,
        "created_at": now,
        "updated_at": now,
    }
    for name in _DEMOGRAPHICS:
        value = getattr(details, name)
        row[name] = value if value not in (None, "") else None
    return row
