"""What waitlist re-optimisation reads: the waiting patients and the pool's free places."""

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import domain
from matching.models import (
    EpisodeProjection,
    Match,
    Mentor,
    MentorBranch,
    MentorExclusion,
    MentorLanguage,
    WaitlistEntry,
)
from matching.reoptimise import Waiting


def mentor_is_admitted() -> ColumnElement[bool]:
    """SQL: the mentor is a former patient who is admitted again right now."""
    return exists().where(
        col(EpisodeProjection.patient_ref) == col(Mentor.former_patient_ref),
        col(EpisodeProjection.status) == "admitted",
    )


async def waiting_patients(
    session: AsyncSession, entries: list[WaitlistEntry]
) -> list[tuple[Waiting, EpisodeProjection]]:
    """Each waiting entry with its episode, earlier mentors and declined mentors (four
    queries for the whole list), in the entries' order."""
    ids = [entry.episode_id for entry in entries]
    episodes = {
        row.episode_id: row
        for row in await session.scalars(
            select(EpisodeProjection).where(col(EpisodeProjection.episode_id).in_(ids))
        )
    }
    refs = {row.patient_ref for row in episodes.values()}
    earlier: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for patient_ref, episode_id, mentor_id in await session.execute(
        select(col(Match.patient_ref), col(Match.episode_id), col(Match.mentor_id)).where(
            col(Match.patient_ref).in_(refs)
        )
    ):
        earlier[patient_ref].add((episode_id, mentor_id))
    declined: dict[str, set[str]] = defaultdict(set)
    for patient_ref, mentor_id in await session.execute(
        select(col(MentorExclusion.patient_ref), col(MentorExclusion.mentor_id)).where(
            col(MentorExclusion.patient_ref).in_(refs)
        )
    ):
        declined[patient_ref].add(mentor_id)
    found = []
    for entry in entries:
        episode = episodes.get(entry.episode_id)
        if episode is None:
            continue
        previous = frozenset(
            mentor for ep, mentor in earlier[episode.patient_ref] if ep != episode.episode_id
        )
        found.append(
            (
                Waiting(
                    episode_id=episode.episode_id,
                    branch=episode.branch,
                    language=episode.language,
                    previous_mentors=previous,
                    excluded=frozenset(declined[episode.patient_ref]),
                ),
                episode,
            )
        )
    return found


async def open_pool(session: AsyncSession, today: date) -> list[domain.MentorProfile]:
    """Every mentor who could take a mentee today (three queries for the whole pool)."""
    mentors = list(
        await session.scalars(
            select(Mentor).where(
                col(Mentor.status) == domain.ACTIVE,
                col(Mentor.certified_until) >= today,
                col(Mentor.active_mentees) < col(Mentor.capacity),
                ~mentor_is_admitted(),
            )
        )
    )
    ids = [m.mentor_id for m in mentors]
    languages: dict[str, set[str]] = defaultdict(set)
    for mentor_id, language in await session.execute(
        select(col(MentorLanguage.mentor_id), col(MentorLanguage.language)).where(
            col(MentorLanguage.mentor_id).in_(ids)
        )
    ):
        languages[mentor_id].add(language)
    branches: dict[str, set[str]] = defaultdict(set)
    for mentor_id, branch in await session.execute(
        select(col(MentorBranch.mentor_id), col(MentorBranch.branch)).where(
            col(MentorBranch.mentor_id).in_(ids)
        )
    ):
        branches[mentor_id].add(branch)
    return [
        domain.MentorProfile(
            mentor_id=m.mentor_id,
            status=m.status,
            languages=frozenset(languages[m.mentor_id]),
            branches=frozenset(branches[m.mentor_id]),
            capacity=m.capacity,
            active_mentees=m.active_mentees,
            certified_until=m.certified_until,
            remote_ok=m.remote_ok,
        )
        for m in mentors
    ]
