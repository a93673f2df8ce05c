"""The shared mentor pool: register and update mentors, their languages, branches and
certifications; every change is offered to the waitlist and checked against the mentees."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain as matching_rules
from matching.matches.handlers import (
    hand_over_surplus,
    recheck_mentees,
    release_ineligible_mentors,
)
from matching.pool import domain
from matching.pool.index import note_change
from matching.pool.leave import set_leave
from matching.pool.mentor_links import own_patient_ref
from matching.pool.models import Mentor, MentorBranch, MentorCertification, MentorLanguage
from matching.pool.profiles import announce, mentor_profile
from matching.pool.ratio import watch_supervisors
from matching.pool.schemas import Certification, Leave, MentorCreate, MentorUpdate, MentorView
from matching.waitlist.handlers import fill_waitlist
from shared.contracts.envelope import utcnow
from shared.errors import Conflict, Invalid, NotFound


async def set_links(
    session: AsyncSession, mentor_id: str, languages: list[str], branches: list[str]
) -> None:
    """Replace the languages the mentor supports patients in and the branches they serve."""
    await session.execute(delete(MentorLanguage).where(col(MentorLanguage.mentor_id) == mentor_id))
    await session.execute(delete(MentorBranch).where(col(MentorBranch.mentor_id) == mentor_id))
    session.add_all(
        MentorLanguage(mentor_id=mentor_id, language=lang) for lang in sorted(set(languages))
    )
    session.add_all(MentorBranch(mentor_id=mentor_id, branch=b) for b in sorted(set(branches)))
    await session.flush()


async def certifications(session: AsyncSession, mentor_id: str) -> list[MentorCertification]:
    """A mentor's certifications, by kind."""
    rows = await session.scalars(
        select(MentorCertification)
        .where(col(MentorCertification.mentor_id) == mentor_id)
        .order_by(col(MentorCertification.kind))
    )
    return list(rows)


async def set_certifications(
    session: AsyncSession,
    mentor: Mentor,
    given: list[Certification],
    core: Sequence[str],
    crisis_kind: str,
) -> None:
    """Replace the mentor's certifications and note when the first core one and the crisis
    one lapse."""
    await session.execute(
        delete(MentorCertification).where(col(MentorCertification.mentor_id) == mentor.mentor_id)
    )
    session.add_all(
        MentorCertification(mentor_id=mentor.mentor_id, **c.model_dump()) for c in given
    )
    expiries = {c.kind: c.expires_on for c in given}
    mentor.certified_until = domain.certified_until(expiries, core)
    mentor.crisis_certified_until = expiries.get(crisis_kind)


def _check_active(status: str, given: list[Certification], core: Sequence[str]) -> None:
    reason = domain.check_active_certifications(
        status, {c.kind: c.expires_on for c in given}, core, utcnow().date()
    )
    if reason:
        raise Invalid(reason)


async def mentor_view(session: AsyncSession, mentor: Mentor) -> MentorView:
    """A mentor with languages, branches and certifications."""
    profile = await mentor_profile(session, mentor)
    held = await certifications(session, mentor.mentor_id)
    return MentorView(
        mentor_id=mentor.mentor_id,
        display_name=mentor.display_name,
        languages=sorted(profile.languages),
        branches=sorted(profile.branches),
        lived_experience=list(mentor.lived_experience),
        capacity=mentor.capacity,
        active_mentees=mentor.active_mentees,
        certifications=[Certification.model_validate(c) for c in held],
        certified_until=mentor.certified_until,
        status=mentor.status,
        gender=mentor.gender,
        age_band=mentor.age_band,
        remote_ok=mentor.remote_ok,
        interests=list(mentor.interests),
        supervisor_id=mentor.supervisor_id,
        leave=Leave(starts_on=profile.leave[0], ends_on=profile.leave[1])
        if profile.leave
        else None,
        on_leave_today=domain.announced_status(mentor.status, profile.leave, utcnow().date())
        == "on_leave",
        patient_linked=mentor.former_patient_ref is not None,
        version=mentor.version,
    )


async def register_mentor(
    session: AsyncSession,
    request: MentorCreate,
    policy: matching_rules.Policy,
    core: Sequence[str],
    ratio: int | None = None,
) -> Mentor:
    """Add a mentor to the shared pool; waiting patients they fit are matched at once; their
    supervisor is checked against the supervision `ratio` (when given).

    An active mentor needs every core certification, valid today (a trainee need not).
    """
    mentor_id = request.mentor_id or f"mn_{matching_rules.new_match_id()[3:]}"
    if await session.get(Mentor, mentor_id) is not None:
        raise Conflict(f"mentor {mentor_id!r} already exists")
    _check_active(request.status, request.certifications, core)
    mentor = Mentor(
        **request.model_dump(
            exclude={"mentor_id", "languages", "branches", "certifications", "leave"}
        ),
        mentor_id=mentor_id,
    )
    set_leave(mentor, request.leave, utcnow().date())
    mentor.former_patient_ref = await own_patient_ref(session, mentor)  # linked beforehand
    session.add(mentor)
    await session.flush()
    note_change(session, mentor_id)
    await set_links(session, mentor_id, request.languages, request.branches)
    await set_certifications(
        session, mentor, request.certifications, core, policy.crisis_certification
    )
    await announce(session, mentor)
    if ratio is not None:
        await watch_supervisors(session, ratio, [mentor.supervisor_id])
    await fill_waitlist(session, None, policy)
    return mentor


async def _update_certifications(
    session: AsyncSession,
    mentor: Mentor,
    request: MentorUpdate,
    crisis_kind: str,
    core: Sequence[str],
) -> None:
    """New certifications or a new status: an active mentor must stay validly certified."""
    if request.certifications is None and request.status is None:
        return
    given = request.certifications
    if given is None:
        held = await certifications(session, mentor.mentor_id)
        given = [Certification.model_validate(c) for c in held]
    _check_active(request.status or mentor.status, given, core)
    if request.certifications is not None:
        await set_certifications(session, mentor, request.certifications, core, crisis_kind)


CLEARABLE = frozenset({"gender", "age_band", "supervisor_id"})  # may be set back to null


async def update_mentor(
    session: AsyncSession,
    mentor_id: str,
    request: MentorUpdate,
    policy: matching_rules.Policy,
    core: Sequence[str],
    ratio: int | None = None,
) -> Mentor:
    """Change a mentor's profile; freed capacity is offered to the waitlist. Making a mentor
    active, or changing an active mentor's certifications, needs valid core certifications.
    The supervisors before and after are checked against the supervision `ratio` (when given)."""
    mentor = await session.get(Mentor, mentor_id)
    if mentor is None:
        raise NotFound(f"no mentor {mentor_id!r}")
    supervisor_before = mentor.supervisor_id
    changes = {
        name: value
        for name, value in request.model_dump(
            exclude_unset=True, exclude={"languages", "branches", "certifications", "leave"}
        ).items()
        if value is not None or name in CLEARABLE
    }
    await _update_certifications(session, mentor, request, policy.crisis_certification, core)
    for field, value in changes.items():
        setattr(mentor, field, value)
    if "leave" in request.model_fields_set:
        set_leave(mentor, request.leave, utcnow().date())
    if request.languages is not None or request.branches is not None:
        current = await mentor_profile(session, mentor)
        await set_links(
            session,
            mentor_id,
            request.languages if request.languages is not None else list(current.languages),
            request.branches if request.branches is not None else list(current.branches),
        )
    mentor.version += 1
    mentor.updated_at = utcnow()
    await session.flush()
    note_change(session, mentor_id)
    await announce(session, mentor)
    if ratio is not None:
        await watch_supervisors(session, ratio, [supervisor_before, mentor.supervisor_id])
    # On leave (by status, or a dated leave from today), suspended, retired or no longer
    # certified: their mentees are matched again; a changed gender, language, branch or crisis
    # cover is checked against each mentee; a capacity cut below the current load hands the
    # newest mentees over.
    await release_ineligible_mentors(session, policy)
    await hand_over_surplus(session, mentor, policy)
    await recheck_mentees(session, mentor_id, policy)
    await fill_waitlist(session, None, policy)
    return mentor
