"""The shared pool kept in memory for the online decision: one index per database.

The database stays the truth. The index only *chooses*; the choice is claimed with a
conditional update that re-checks what could have changed behind its back (the mentor's
profile version, status, core certification, room), so a stale index can cost a retry but
never a broken rule. Mentors this process changes are re-read (their load alone, unless the
profile changed too) before the next decision of the same transaction, and again once the
change commits or rolls back (so what was read inside a transaction that rolled back is read
anew); the whole active pool is reloaded every `REFRESH_S` to see other replicas' changes.
"""

import time
from dataclasses import replace
from weakref import WeakKeyDictionary

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from matching.matches.domain import MentorProfile
from matching.pool.arrays import PoolArrays
from matching.pool.domain import ACTIVE
from matching.pool.models import Mentor
from matching.pool.profiles import load_profiles

REFRESH_S = 30.0  # the longest another replica's change can go unseen here
_PENDING = "matching.pool.index.pending"
# Mentors this transaction changed since its last decision: re-read inside the transaction, so
# a batch of events decides as the same events one transaction each would.
_UNSEEN = "matching.pool.index.unseen"

_INDEXES: "WeakKeyDictionary[Engine, PoolIndex]" = WeakKeyDictionary()


class PoolIndex:
    """Active mentors as `PoolArrays`, with each mentor's profile version."""

    def __init__(self) -> None:
        self.arrays = PoolArrays([])
        self.versions: dict[str, int] = {}
        self.loaded_at: float | None = None
        self.dirty: set[str] = set()

    @staticmethod
    def of(session: AsyncSession) -> "PoolIndex":
        """The index of the database this session talks to."""
        engine = session.sync_session.get_bind()
        assert isinstance(engine, Engine)
        if engine not in _INDEXES:
            _INDEXES[engine] = PoolIndex()
        return _INDEXES[engine]

    async def fresh(self, session: AsyncSession) -> PoolArrays:
        """The arrays, brought up to date first if they are old or a mentor changed here
        (committed, or earlier in this session's transaction)."""
        unseen = session.sync_session.info.pop(_UNSEEN, set())
        if self.loaded_at is None or time.monotonic() - self.loaded_at > REFRESH_S:
            self.dirty.clear()
            self.loaded_at = time.monotonic()
            self._rebuild(await load_profiles(session, [col(Mentor.status) == ACTIVE]), None)
        elif self.dirty or unseen:
            ids, self.dirty = self.dirty | unseen, set()
            await self._refresh(session, ids)
        return self.arrays

    async def _refresh(self, session: AsyncSession, ids: set[str]) -> None:
        """Re-read these mentors: a new load is set in place; a changed profile is reloaded."""
        changed = set()
        rows = await session.execute(
            select(
                col(Mentor.mentor_id),
                col(Mentor.version),
                col(Mentor.active_mentees),
                col(Mentor.status),
            ).where(col(Mentor.mentor_id).in_(ids))
        )
        seen = set()
        for mentor_id, version, load, status in rows:
            seen.add(mentor_id)
            position = self.arrays.index.get(mentor_id)
            same = version == self.versions.get(mentor_id) and status == ACTIVE
            if position is not None and same:
                mentor = self.arrays.mentors[position]
                self.arrays.set_load(position, replace(mentor, active_mentees=load))
            else:
                changed.add(mentor_id)
        changed |= ids - seen  # no longer in the pool at all
        if changed:
            loaded = await load_profiles(
                session,
                [col(Mentor.mentor_id).in_(changed), col(Mentor.status) == ACTIVE],
            )
            self._rebuild(loaded, changed)

    def _rebuild(self, loaded: list[tuple[MentorProfile, int]], only: set[str] | None) -> None:
        kept = [] if only is None else [m for m in self.arrays.mentors if m.mentor_id not in only]
        if only is None:
            self.versions = {}
        else:
            for mentor_id in only:
                self.versions.pop(mentor_id, None)
        for profile, version in loaded:
            kept.append(profile)
            self.versions[profile.mentor_id] = version
        self.arrays = PoolArrays(kept)

    def claim_version(self, mentor_id: str) -> int:
        """The profile version the index chose this mentor by."""
        return self.versions[mentor_id]

    def forget(self, mentor_id: str) -> None:
        """The index was wrong about this mentor: re-read them before the next decision."""
        self.dirty.add(mentor_id)


def note_change(session: AsyncSession, mentor_id: str) -> None:
    """This transaction changes the mentor (a place taken or freed, or the profile): the index
    of this session's database re-reads them once the transaction ends, however it ends."""
    sync_session = session.sync_session
    pending: set[str] | None = sync_session.info.get(_PENDING)
    if pending is None:
        pending = sync_session.info[_PENDING] = set()
        index = PoolIndex.of(session)
        event.listen(sync_session, "after_commit", lambda s: _ended(s, index))
        event.listen(sync_session, "after_rollback", lambda s: _ended(s, index))
    pending.add(mentor_id)
    sync_session.info.setdefault(_UNSEEN, set()).add(mentor_id)


def _ended(sync_session: Session, index: PoolIndex) -> None:
    index.dirty |= sync_session.info.pop(_PENDING, set())
