"""Patients' aftercare wishes: the branch nearest home and the focus they want. Recorded
before discharge they shape the enrolment; after it, a waiting patient is tried again."""

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare.enrolment.domain import known_branches
from aftercare.enrolment.handlers.placement import fill_waitlist
from aftercare.enrolment.models import AftercareWish, ConsentProjection, EpisodeProjection
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.enrolment.schemas import WishRequest
from shared.contracts.envelope import utcnow
from shared.errors import Conflict, Invalid
from shared.intake_projection import REFUSED, current_consent


async def record(
    session: AsyncSession, patient_ref: str, request: WishRequest, options: EnrolmentOptions
) -> AftercareWish:
    """Record a patient's wish, often in the consent conversation (so before the consent has
    reached aftercare), but never when their current answer is a decline or a withdrawal. A
    home branch must be one the distances know."""
    answer = await current_consent(session, EpisodeProjection, ConsentProjection, patient_ref)
    if answer in REFUSED:
        raise Conflict(f"the patient's consent to peer support is {answer}")
    known = known_branches(options.branch_distances_km)
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
    await fill_waitlist(session, options, None)
    return wish
