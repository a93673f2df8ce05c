"""The path from alumnus to peer mentor: interest or a coordinator's nomination after a
minimum time since discharge, a training record of the configured courses, certification,
and then the event that adds them to matching's shared pool. Every step is an event."""

import secrets
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.config import AftercareSettings
from aftercare.models import Alumnus, Candidate, EpisodeProjection
from shared.contracts.aftercare import (
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


def _publish(
    session: AsyncSession, event_cls: type[Event], row: Candidate, courses: list[str]
) -> None:
    state = CandidacyState(
        version=row.version,
        candidate_id=row.candidate_id,
        patient_ref=row.patient_ref,
        branch=row.branch,
        source=row.source,
        status=row.status,
        courses_completed=sorted(row.courses),
        courses_required=courses,
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
    settings: AftercareSettings,
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
    if last is not None:
        days = (now - last).days
        if days < settings.mentor_min_days_since_discharge:
            wait = settings.mentor_min_days_since_discharge - days
            raise Conflict(
                f"{days} days since the last discharge; the path opens after "
                f"{settings.mentor_min_days_since_discharge} (in {wait} days)"
            )
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
    _publish(session, CandidacyOpened, row, settings.mentor_courses)
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
    settings: AftercareSettings,
    now: datetime,
) -> Candidate:
    """Record a course on the training record (one of the configured courses)."""
    if course not in settings.mentor_courses:
        raise Invalid(f"unknown course {course!r}; courses: {', '.join(settings.mentor_courses)}")
    if expires_on <= completed_on or completed_on > now.date():
        raise Invalid("a course is completed by today and expires after it was completed")
    row = await _training(session, candidate_id)
    row.courses = {
        **row.courses,
        course: {"completed_on": completed_on.isoformat(), "expires_on": expires_on.isoformat()},
    }
    row.changed_at = now
    row.version += 1
    _publish(session, CandidateCourseCompleted, row, settings.mentor_courses)
    await session.flush()
    return row


async def certify(
    session: AsyncSession, candidate_id: str, settings: AftercareSettings, now: datetime
) -> Candidate:
    """Every course done and valid today: certified, and nominated to matching's pool."""
    row = await _training(session, candidate_id)
    today = now.date()
    missing = [
        course
        for course in settings.mentor_courses
        if course not in row.courses
        or date.fromisoformat(row.courses[course]["expires_on"]) <= today
    ]
    if missing:
        raise Conflict(f"courses missing or expired: {', '.join(missing)}")
    row.status, row.certified_at, row.changed_at = "certified", now, now
    row.version += 1
    _publish(session, CandidateCertified, row, settings.mentor_courses)
    _nominate(session, row, "nominated")
    await session.flush()
    return row


async def withdraw(
    session: AsyncSession, candidate_id: str, settings: AftercareSettings, now: datetime
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
    _publish(session, CandidacyWithdrawn, row, settings.mentor_courses)
    if nominated:
        _nominate(session, row, "withdrawn")
    await session.flush()
    return row
