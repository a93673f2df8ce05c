"""Two patient records found to be one person (HL7 A40): what matching settles before the
merged record's rows are re-keyed to the survivor. The merge itself ends and makes no match:
each stay keeps its own match, consent and risk."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.models import Mentor, PatientPreferences
from shared.contracts.envelope import Event

_PREFERENCES = ("mentor_gender", "lived_experience", "interests", "age_band", "recorded_by")


async def before_rekey(session: AsyncSession, event: Event) -> None:
    """Where both records hold preferences, the most recently recorded win (the survivor's row
    takes them; they weigh in the next decision about the person's stays). A mentor who was
    the merged record's patient is now the survivor's, so they are never matched to themselves."""
    merge = event.data
    source, target = merge.source_patient_ref, merge.target_patient_ref
    merged = await session.get(PatientPreferences, source, with_for_update=True)
    kept = await session.get(PatientPreferences, target, with_for_update=True)
    if merged is not None and kept is not None and merged.updated_at > kept.updated_at:
        for name in _PREFERENCES:
            setattr(kept, name, getattr(merged, name))
        kept.updated_at = merged.updated_at
        kept.version += 1
        await session.flush()
    await session.execute(
        update(Mentor)
        .where(col(Mentor.former_patient_ref) == source)
        .values(former_patient_ref=target)
    )
