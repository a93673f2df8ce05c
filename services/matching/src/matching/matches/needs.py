"""What a patient needs from a mentor, read from the database: their episode, the preferences
they recorded, the clinician's risk assessment, the mentors they must never get (declined,
declared conflicts, former patients of their ward, themselves when they are a mentor) and the
mentors of earlier episodes."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.models import Match
from matching.patients.models import (
    EpisodeProjection,
    EpisodeRisk,
    MentorExclusion,
    PatientPreferences,
)
from matching.pool.models import Mentor


@dataclass(frozen=True)
class PatientNeed:
    """One episode's need, the mentors it excludes (declined, rejected, conflicts of
    interest), the mentors who are admitted themselves, and the mentors it knew before."""

    episode: EpisodeProjection
    need: domain.Need
    excluded: frozenset[str]
    previous_mentors: frozenset[str]
    admitted_mentors: frozenset[str] = frozenset()


async def needs_of(
    session: AsyncSession, episodes: list[EpisodeProjection], policy: domain.Policy, now: datetime
) -> list[PatientNeed]:
    """The needs of these episodes, in their order (six queries however many there are)."""
    refs = {e.patient_ref for e in episodes}
    preferences = {
        row.patient_ref: row
        for row in await session.scalars(
            select(PatientPreferences).where(col(PatientPreferences.patient_ref).in_(refs))
        )
    }
    risk = await _risk_levels(session, [e.episode_id for e in episodes])
    earlier = await _earlier_mentors(session, refs)
    excluded = await _excluded_mentors(session, refs)
    wards, admitted = await _mentors_as_patients(
        session, now - timedelta(days=policy.same_ward_window_days)
    )
    found = []
    for episode in episodes:
        need = _need(episode, preferences.get(episode.patient_ref), risk)
        previous = frozenset(
            mentor for ep, mentor in earlier[episode.patient_ref] if ep != episode.episode_id
        )
        conflicts = wards.get((episode.branch, episode.ward or ""), set())
        found.append(
            PatientNeed(
                episode,
                need,
                frozenset(excluded[episode.patient_ref] | conflicts),
                previous,
                admitted,
            )
        )
    return found


def _need(
    episode: EpisodeProjection, wanted: PatientPreferences | None, risk: dict[str, str]
) -> domain.Need:
    """The episode's need: its branch and language, the clinician's risk level and what the
    patient asked for."""
    return domain.Need(
        branch=episode.branch,
        language=episode.language,
        patient_ref=episode.patient_ref,
        mentor_gender=wanted.mentor_gender if wanted else None,
        risk=risk.get(episode.episode_id, domain.LOW),
        lived_experience=frozenset(wanted.lived_experience) if wanted else frozenset(),
        interests=frozenset(wanted.interests) if wanted else frozenset(),
        age_band=wanted.age_band if wanted else None,
    )


async def _risk_levels(session: AsyncSession, episode_ids: list[str]) -> dict[str, str]:
    """The assessed risk level of each episode that has one."""
    assessed = await session.execute(
        select(col(EpisodeRisk.episode_id), col(EpisodeRisk.level)).where(
            col(EpisodeRisk.episode_id).in_(episode_ids)
        )
    )
    return {episode_id: level for episode_id, level in assessed}


async def _earlier_mentors(
    session: AsyncSession, refs: set[str]
) -> dict[str, set[tuple[str, str]]]:
    """Each patient's (episode, mentor) pairs of every match they ever held."""
    earlier: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for patient_ref, episode_id, mentor_id in await session.execute(
        select(col(Match.patient_ref), col(Match.episode_id), col(Match.mentor_id)).where(
            col(Match.patient_ref).in_(refs)
        )
    ):
        earlier[patient_ref].add((episode_id, mentor_id))
    return earlier


async def _excluded_mentors(session: AsyncSession, refs: set[str]) -> dict[str, set[str]]:
    """The mentors each patient is never matched with: declined, rejected, declared conflicts,
    and themselves when they are a mentor."""
    excluded: dict[str, set[str]] = defaultdict(set)
    for patient_ref, mentor_id in await session.execute(
        select(col(MentorExclusion.patient_ref), col(MentorExclusion.mentor_id)).where(
            col(MentorExclusion.patient_ref).in_(refs)
        )
    ):
        excluded[patient_ref].add(mentor_id)
    for mentor_id, own_ref in await session.execute(
        select(col(Mentor.mentor_id), col(Mentor.former_patient_ref)).where(
            col(Mentor.former_patient_ref).in_(refs)
        )
    ):
        excluded[str(own_ref)].add(mentor_id)  # a mentor is never matched to themselves
    return excluded


async def need_of(
    session: AsyncSession, episode: EpisodeProjection, policy: domain.Policy, now: datetime
) -> PatientNeed:
    """The need of one episode."""
    [found] = await needs_of(session, [episode], policy, now)
    return found


async def _mentors_as_patients(
    session: AsyncSession, since: datetime
) -> tuple[dict[tuple[str, str], set[str]], frozenset[str]]:
    """Mentors who were themselves patients of a ward (admitted there now, or discharged from
    it since `since`), by (branch, ward) — a conflict of interest for that ward's patients —
    and the mentors admitted anywhere right now (never matched)."""
    rows = await session.execute(
        select(
            col(EpisodeProjection.branch),
            col(EpisodeProjection.ward),
            col(EpisodeProjection.status),
            col(Mentor.mentor_id),
        )
        .join(Mentor, col(Mentor.former_patient_ref) == col(EpisodeProjection.patient_ref))
        .where(
            or_(
                col(EpisodeProjection.status) == "admitted",
                col(EpisodeProjection.discharged_at) >= since,
            ),
        )
    )
    by_ward: dict[tuple[str, str], set[str]] = defaultdict(set)
    admitted = set()
    for branch, ward, status, mentor_id in rows:
        if ward:
            by_ward[(branch, ward)].add(mentor_id)
        if status == "admitted":
            admitted.add(mentor_id)
    return by_ward, frozenset(admitted)
