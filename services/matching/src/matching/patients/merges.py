"""Two patient records found to be one person (HL7 A40): what matching settles before the
merged record's rows are re-keyed to the survivor. The merge itself ends and makes no match:
each stay keeps its own match, consent and risk."""

from sqlalchemy.ext.asyncio import AsyncSession

from matching.patients.models import PatientPreferences
from shared.contracts.envelope import Event

_PREFERENCES = ("mentor_gender", "lived_experience", "interests", "age_band", "recorded_by")


async def keep_latest_preferences(session: AsyncSession, event: Event) -> None:
    """Where both records hold preferences, the most recently recorded win: the survivor's row
    takes them (they weigh in the next decision about the person's stays)."""
    merge = event.data
    merged = await session.get(PatientPreferences, merge.source_patient_ref, with_for_update=True)
    kept = await session.get(PatientPreferences, merge.target_patient_ref, with_for_update=True)
    if merged is None or kept is None or merged.updated_at <= kept.updated_at:
        return
    for name in _PREFERENCES:
        setattr(kept, name, getattr(merged, name))
    kept.updated_at = merged.updated_at
    kept.version += 1
    await session.flush()
