"""Alumni use cases. Completing aftercare: enough outpatient meetings attended (or a
coordinator's word) makes the patient an alumnus; alumni gatherings are sessions' alumni
groups. The path from alumnus to peer mentor: interest or a coordinator's nomination after a
minimum time since discharge, a training record of the configured courses, certification,
and then the event that adds them to matching's shared pool. Every step is an event."""

import secrets
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.alumni import domain
from aftercare.alumni.models import Alumnus, Candidate
from aftercare.alumni.options import AlumniOptions
from aftercare.enrolment.models import Enrolment, EpisodeProjection
from shared.contracts.aftercare import (
    AlumnusJoined,
    AlumnusState,
    CandidacyOpened,
    CandidacyState,
    CandidacyWithdrawn,
    CandidateCertified,
    CandidateCourseCompleted,
    CertificationRecord,
    PeerCandidateNominated,
    PeerCandidateState,
)
from shared.contracts.envelope import Event
from shared.db import get_or_not_found
from shared.errors import Conflict, Invalid
from shared.outbox import stage


async def complete(session: AsyncSession, row: Enrolment, now: datetime) -> Alumnus:
    """The patient completed the programme: they join the alumni (once)."""
    row.completed_at = row.completed_at or now
    alumnus = await session.get(Alumnus, row.patient_ref)
    if alumnus is not None:
        return alumnus
    alumnus = Alumnus(
        patient_ref=row.patient_ref,
        branch=row.branch,
        completed_episode_id=row.episode_id,
        joined_at=now,
    )
    session.add(alumnus)
    state = AlumnusState.model_validate(alumnus, from_attributes=True)
    stage(session, AlumnusJoined.new(state, branch=row.branch))
    return alumnus


def _publish(
    session: AsyncSession, event_cls: type[Event], row: Candidate, courses: Sequence[str]
) -> None:
    state = CandidacyState(
        version=row.version,
        candidate_id=row.candidate_id,
        patient_ref=row.patient_ref,
        branch=row.branch,
        source=row.source,
        status=row.status,
        courses_completed=sorted(row.courses),
        courses_required=list(courses),
        changed_at=row.changed_at,
    )
    stage(session, event_cls.new(state, branch=row.branch))


def _nominate(session: AsyncSession, row: Candidate, status: str) -> None:
    """Tell matching: a certified alumnus joins the pool as a trainee (or is withdrawn)."""
    state = PeerCandidateState(
        version=row.version,
        nomination_id=row.candidate_id,
        patient_ref=row.patient_ref,
        branch=row.branch,
        languages=row.languages,
        lived_experience=row.lived_experience,
        certifications=[
            CertificationRecord(
                kind=kind,
                issued_on=date.fromisoformat(done["completed_on"]),
                expires_on=date.fromisoformat(done["expires_on"]),
            )
            for kind, done in sorted(row.courses.items())
        ],
        status=status,
        nominated_at=row.certified_at or row.changed_at,
    )
    stage(session, PeerCandidateNominated.new(state, branch=row.branch))


async def open_candidacy(
    session: AsyncSession,
    patient_ref: str,
    *,
    source: str,
    nominated_by: str | None,
    languages: list[str],
    lived_experience: list[str],
    options: AlumniOptions,
    now: datetime,
) -> Candidate:
    """An alumnus starts training: refused unless they are an alumnus, not admitted, long
    enough after their last discharge, and not on the path already."""
    alumnus = await session.get(Alumnus, patient_ref)
    if alumnus is None:
        raise Conflict("only alumni (patients who completed aftercare) can train as mentors")
    stays = list(
        await session.scalars(
            select(EpisodeProjection).where(col(EpisodeProjection.patient_ref) == patient_ref)
        )
    )
    if any(stay.status == "admitted" for stay in stays):
        raise Conflict("the alumnus is admitted now; the path can start after discharge")
    last = max((s.discharged_at for s in stays if s.discharged_at is not None), default=None)
    closed = domain.why_the_path_is_closed(last, now, options.mentor_min_days_since_discharge)
    if closed:
        raise Conflict(closed)
    open_already = await session.scalar(
        select(func.count())
        .select_from(Candidate)
        .where(col(Candidate.patient_ref) == patient_ref, col(Candidate.status) != "withdrawn")
    )
    if open_already:
        raise Conflict("the alumnus is on the path already")
    row = Candidate(
        candidate_id=f"nm_{secrets.token_hex(10)}",
        patient_ref=patient_ref,
        branch=alumnus.branch,
        source=source,
        nominated_by=nominated_by,
        languages=languages,
        lived_experience=lived_experience,
        courses={},
        status="training",
        opened_at=now,
        changed_at=now,
    )
    session.add(row)
    _publish(session, CandidacyOpened, row, options.mentor_courses)
    await session.flush()
    return row


async def _training(session: AsyncSession, candidate_id: str) -> Candidate:
    row = await get_or_not_found(
        session, Candidate, candidate_id, f"candidate {candidate_id!r}", for_update=True
    )
    if row.status != "training":
        raise Conflict(f"the candidate is {row.status}")
    return row


async def complete_course(
    session: AsyncSession,
    candidate_id: str,
    course: str,
    completed_on: date,
    expires_on: date,
    options: AlumniOptions,
    now: datetime,
) -> Candidate:
    """Record a course on the training record (one of the configured courses)."""
    why = domain.why_the_course_does_not_count(
        course, completed_on, expires_on, now.date(), options.mentor_courses
    )
    if why:
        raise Invalid(why)
    row = await _training(session, candidate_id)
    row.courses = {
        **row.courses,
        course: {"completed_on": completed_on.isoformat(), "expires_on": expires_on.isoformat()},
    }
    row.changed_at = now
    row.version += 1
    _publish(session, CandidateCourseCompleted, row, options.mentor_courses)
    await session.flush()
    return row


async def certify(
    session: AsyncSession, candidate_id: str, options: AlumniOptions, now: datetime
) -> Candidate:
    """Every course done and valid today: certified, and nominated to matching's pool."""
    row = await _training(session, candidate_id)
    missing = domain.missing_courses(options.mentor_courses, row.courses, now.date())
    if missing:
        raise Conflict(f"courses missing or expired: {', '.join(missing)}")
    row.status, row.certified_at, row.changed_at = "certified", now, now
    row.version += 1
    _publish(session, CandidateCertified, row, options.mentor_courses)
    _nominate(session, row, "nominated")
    await session.flush()
    return row


async def withdraw(
    session: AsyncSession, candidate_id: str, options: AlumniOptions, now: datetime
) -> Candidate:
    """Stop the path; a certified candidate is withdrawn from matching's pool too."""
    row = await get_or_not_found(
        session, Candidate, candidate_id, f"candidate {candidate_id!r}", for_update=True
    )
    if row.status == "withdrawn":
        raise Conflict("the candidate is withdrawn already")
    nominated = row.status == "certified"
    row.status, row.changed_at = "withdrawn", now
    row.version += 1
    _publish(session, CandidacyWithdrawn, row, options.mentor_courses)
    if nominated:
        _nominate(session, row, "withdrawn")
    await session.flush()
    return row
