"""The shared mentor pool: register and update mentors, their certifications and supervision."""

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import certification_rules, domain
from matching.handlers import (
    fill_waitlist,
    hand_over_surplus,
    recheck_mentees,
    release_ineligible_mentors,
)
from matching.leave import set_leave
from matching.mentor_links import own_patient_ref
from matching.models import Mentor, MentorBranch, MentorCertification, MentorLanguage
from matching.pool_index import note_change
from matching.profiles import announce, mentor_profile
from matching.schemas import Certification, Leave, MentorCreate, MentorUpdate, MentorView
from shared.contracts.aftercare import PeerCandidateState
from shared.contracts.envelope import Event, utcnow
from shared.errors import Conflict, Invalid, NotFound


async def _set_links(
    session: AsyncSession, mentor_id: str, languages: list[str], branches: list[str]
) -> None:
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


async def _set_certifications(
    session: AsyncSession,
    mentor: Mentor,
    given: list[Certification],
    core: list[str],
    crisis_kind: str,
) -> None:
    await session.execute(
        delete(MentorCertification).where(col(MentorCertification.mentor_id) == mentor.mentor_id)
    )
    session.add_all(
        MentorCertification(mentor_id=mentor.mentor_id, **c.model_dump()) for c in given
    )
    expiries = {c.kind: c.expires_on for c in given}
    mentor.certified_until = certification_rules.certified_until(expiries, core)
    mentor.crisis_certified_until = expiries.get(crisis_kind)


def _check_active(status: str, given: list[Certification], core: list[str]) -> None:
    reason = certification_rules.check_active_certifications(
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
    session: AsyncSession, request: MentorCreate, policy: domain.Policy, core: list[str]
) -> Mentor:
    """Add a mentor to the shared pool; waiting patients they fit are matched at once.

    An active mentor needs every core certification, valid today (a trainee need not).
    """
    mentor_id = request.mentor_id or f"mn_{domain.new_match_id()[3:]}"
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
    await _set_links(session, mentor_id, request.languages, request.branches)
    await _set_certifications(
        session, mentor, request.certifications, core, policy.crisis_certification
    )
    await announce(session, mentor)
    await fill_waitlist(session, None, policy)
    return mentor


CLEARABLE = frozenset({"gender", "age_band", "supervisor_id"})  # may be set back to null


async def update_mentor(
    session: AsyncSession,
    mentor_id: str,
    request: MentorUpdate,
    policy: domain.Policy,
    core: list[str],
) -> Mentor:
    """Change a mentor's profile; freed capacity is offered to the waitlist. Making a mentor
    active, or changing an active mentor's certifications, needs valid core certifications."""
    mentor = await session.get(Mentor, mentor_id)
    if mentor is None:
        raise NotFound(f"no mentor {mentor_id!r}")
    changes = {
        name: value
        for name, value in request.model_dump(
            exclude_unset=True, exclude={"languages", "branches", "certifications", "leave"}
        ).items()
        if value is not None or name in CLEARABLE
    }
    if request.certifications is not None or request.status is not None:
        given = request.certifications
        if given is None:
            given = [
                Certification.model_validate(c) for c in await certifications(session, mentor_id)
            ]
        _check_active(request.status or mentor.status, given, core)
        if request.certifications is not None:
            await _set_certifications(
                session, mentor, request.certifications, core, policy.crisis_certification
            )
    for field, value in changes.items():
        setattr(mentor, field, value)
    if "leave" in request.model_fields_set:
        set_leave(mentor, request.leave, utcnow().date())
    if request.languages is not None or request.branches is not None:
        current = await mentor_profile(session, mentor)
        await _set_links(
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
    # On leave (by status, or a dated leave from today), suspended, retired or no longer
    # certified: their mentees are matched again; a changed gender, language, branch or crisis
    # cover is checked against each mentee; a capacity cut below the current load hands the
    # newest mentees over.
    await release_ineligible_mentors(session, policy)
    await hand_over_surplus(session, mentor, policy)
    await recheck_mentees(session, mentor_id, policy)
    await fill_waitlist(session, None, policy)
    return mentor


async def certification_notices(
    session: AsyncSession, core: list[str], today: date, notice_days: int
) -> list[certification_rules.CertificationNotice]:
    """Core certifications missing, expired or expiring within `notice_days`, for every mentor
    not retired: what supervisors must act on before a mentor drops out of matching."""
    mentors = list(
        await session.scalars(select(col(Mentor.mentor_id)).where(col(Mentor.status) != "retired"))
    )
    held: dict[str, dict[str, date]] = {mentor_id: {} for mentor_id in mentors}
    rows = await session.execute(
        select(
            col(MentorCertification.mentor_id),
            col(MentorCertification.kind),
            col(MentorCertification.expires_on),
        ).where(col(MentorCertification.kind).in_(core))
    )
    for mentor_id, kind, expires_on in rows:
        if mentor_id in held:
            held[mentor_id][kind] = expires_on
    notices = [
        notice
        for mentor_id in mentors
        for notice in certification_rules.certification_notices(
            mentor_id, held[mentor_id], core, today, notice_days
        )
    ]
    return sorted(notices, key=lambda n: (n.expires_on or date.min, n.mentor_id, n.kind))


async def supervision(session: AsyncSession, limit: int) -> list[domain.SupervisionLoad]:
    """Each supervisor's number of mentors (not retired), most loaded first."""
    rows = await session.execute(
        select(col(Mentor.supervisor_id), func.count())
        .where(col(Mentor.supervisor_id).is_not(None), col(Mentor.status) != "retired")
        .group_by(col(Mentor.supervisor_id))
    )
    loads = [domain.SupervisionLoad(str(sup), int(count), limit) for sup, count in rows]
    return sorted(loads, key=lambda load: (-load.mentors, load.supervisor_id))


NOMINATED_NAME = "Nominated alumnus (the coordinator adds the name)"


async def apply_nomination(
    session: AsyncSession, event: Event, core: list[str], crisis_kind: str
) -> None:
    """Aftercare nominated a certified alumnus: they join the pool as a trainee (a coordinator
    makes them active); a withdrawn nomination retires a trainee. Older versions are ignored."""
    state: PeerCandidateState = event.data
    mentor_id = f"mn-{state.nomination_id}"[:40]
    mentor = await session.get(Mentor, mentor_id)
    if mentor is not None and (mentor.nomination_version or 0) >= state.version:
        return
    if mentor is None:
        if state.status == "withdrawn":
            return
        mentor = Mentor(
            mentor_id=mentor_id,
            display_name=NOMINATED_NAME,
            lived_experience=list(state.lived_experience),
            capacity=0,
            status="trainee",
            nominated_patient_ref=state.patient_ref,
            nomination_version=state.version,
        )
        mentor.former_patient_ref = await own_patient_ref(session, mentor)
        session.add(mentor)
        await session.flush()
        note_change(session, mentor_id)
        await _set_links(session, mentor_id, state.languages, [state.branch])
        given = [Certification.model_validate(c.model_dump()) for c in state.certifications]
        await _set_certifications(session, mentor, given, core, crisis_kind)
        await announce(session, mentor)
        return
    mentor.nomination_version = state.version
    if state.status == "withdrawn" and mentor.status == "trainee":
        note_change(session, mentor_id)
        mentor.status = "retired"
        mentor.version += 1
        mentor.updated_at = utcnow()
        await announce(session, mentor)
