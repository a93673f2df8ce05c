"""Patients' aftercare wishes: the branch nearest home and the focus they want. Recorded
before discharge they shape the enrolment; after it, a waiting patient is tried again."""

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare import handlers
from aftercare.config import AftercareSettings
from aftercare.models import AftercareWish, ConsentProjection, EpisodeProjection
from aftercare.schemas import WishRequest
from shared.contracts.envelope import utcnow
from shared.errors import Conflict, Invalid
from shared.intake_projection import REFUSED, current_consent


async def record(
    session: AsyncSession, patient_ref: str, request: WishRequest, settings: AftercareSettings
) -> AftercareWish:
    """Record a patient's wish, often in the consent conversation (so before the consent has
    reached aftercare), but never when their current answer is a decline or a withdrawal. A
    home branch must be one the distances know."""
    answer = await current_consent(session, EpisodeProjection, ConsentProjection, patient_ref)
    if answer in REFUSED:
        raise Conflict(f"the patient's consent to peer support is {answer}")
    known = set(settings.branch_distances_km) | {
        b for far in settings.branch_distances_km.values() for b in far
    }
    if request.home_branch is not None and request.home_branch not in known:
        raise Invalid(
            f"unknown branch {request.home_branch!r}; known branches: {', '.join(sorted(known))}"
        )
    wish = await session.get(AftercareWish, patient_ref, with_for_update=True)
    if wish is None:
        wish = AftercareWish(patient_ref=patient_ref)
        session.add(wish)
    wish.home_branch, wish.focus, wish.updated_at = request.home_branch, request.focus, utcnow()
    await session.flush()
    await handlers.fill_waitlist(session, settings, None)
    return wish
