"""Link a mentor to their own patient record, or remove the link; matching is told by event.

The identifiers are resolved in the vault. A mentor who was a patient before Saathi existed
has no record yet: one is registered holding the identifiers (no stay, no name), so their
next admission is recognised as theirs.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from intake.identity.domain import Identifier, PatientDetails
from intake.identity.handlers import find_patient, resolve_patient
from intake.mentors.models import LINKED, UNLINKED, MentorPatientLink
from shared.contracts.envelope import utcnow
from shared.contracts.intake import MentorLinked, MentorLinkState, MentorUnlinked
from shared.contracts.matching import POOL_BRANCH
from shared.errors import Invalid, NotFound
from shared.outbox import stage


def link_state(row: MentorPatientLink) -> MentorLinkState:
    """The event-carried state of a link row."""
    return MentorLinkState.model_validate(row, from_attributes=True)


async def _patient_ref_of(session: AsyncSession, identifiers: tuple[Identifier, ...]) -> str:
    """The one patient record holding these identifiers (registered if none does)."""
    owners = set()
    for identifier in identifiers:
        patient = await find_patient(session, (identifier,))
        if patient is not None:
            owners.add(patient.patient_ref)
    if len(owners) > 1:
        raise Invalid(
            "these identifiers belong to two different patient records: merge the records "
            "first (HL7 A40), then link the mentor"
        )
    patient, _ = await resolve_patient(session, PatientDetails(identifiers=identifiers))
    await session.flush()
    return patient.patient_ref


async def link(
    session: AsyncSession, mentor_id: str, identifiers: tuple[Identifier, ...], by: str
) -> MentorPatientLink:
    """Link the mentor to the patient these identifiers name; the same link again changes
    nothing, a different one replaces it."""
    patient_ref = await _patient_ref_of(session, identifiers)
    row = await session.get(MentorPatientLink, mentor_id, with_for_update=True)
    if row is not None and row.status == LINKED and row.patient_ref == patient_ref:
        return row
    if row is None:
        row = MentorPatientLink(
            mentor_id=mentor_id, patient_ref=patient_ref, status=LINKED, changed_by=by
        )
        session.add(row)
    else:
        row.patient_ref, row.status, row.changed_by = patient_ref, LINKED, by
        row.changed_at = utcnow()
        row.version += 1
    await session.flush()
    stage(session, MentorLinked.new(link_state(row), branch=POOL_BRANCH))
    return row


async def unlink(session: AsyncSession, mentor_id: str, by: str) -> MentorPatientLink:
    """Remove the mentor's link (404 if there never was one; unlinking twice is one change)."""
    row = await session.get(MentorPatientLink, mentor_id, with_for_update=True)
    if row is None:
        raise NotFound(f"mentor {mentor_id!r} was never linked to a patient record")
    if row.status == UNLINKED:
        return row
    row.status, row.changed_by, row.changed_at = UNLINKED, by, utcnow()
    row.version += 1
    await session.flush()
    stage(session, MentorUnlinked.new(link_state(row), branch=POOL_BRANCH))
    return row
