"""Random event sequences through matching's real handlers and a real database: after every
step no mentor is over capacity, every held match keeps every hard rule, and nobody who wants
support is lost (each admitted, consenting patient holds a match or waits)."""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import SQLModel, col

from helpers import events
from matching.app import policy_from, pool_options_from
from matching.config import MatchingSettings
from matching.consumers import consumer_specs
from matching.matches import domain, handlers
from matching.matches.models import HOLDING, Match
from matching.matches.needs import need_of
from matching.patients import handlers as patients
from matching.patients.models import ConsentProjection, EpisodeProjection
from matching.patients.schemas import ConflictRequest, PreferencesRequest, RiskRequest
from matching.pool import handlers as pool
from matching.pool.models import Mentor
from matching.pool.profiles import mentor_profile
from matching.pool.schemas import MentorCreate, MentorUpdate
from matching.review import handlers as review
from matching.review.schemas import ReviewRequest
from matching.waitlist.models import WaitlistEntry
from shared import db
from shared.contracts.envelope import Event
from shared.contracts.intake import EpisodeAdmitted, EpisodeBranchTransferred, EpisodeDischarged
from shared.errors import DomainError

BRANCHES = ["kol-salt-lake", "kol-behala"]
LANGUAGES = ["bn", "hi"]
GENDERS = ["female", "male"]
CORE = ["active_listening", "boundaries", "ethics"]  # crisis response is extra, so it varies
SETTINGS = MatchingSettings(
    core_certifications=CORE,
    review_branches=["kol-behala"],
    continue_into_aftercare=True,
)
POLICY = policy_from(SETTINGS)
HANDLERS = consumer_specs(POLICY, pool_options_from(SETTINGS))[0].handlers
PATIENTS = [f"pt_{n}" for n in range(5)]


def _certifications(crisis: bool) -> list[dict[str, str]]:
    today = datetime.now(UTC).date()
    kinds = [*CORE, "crisis_response"] if crisis else CORE
    return [
        {
            "kind": kind,
            "issued_on": (today - timedelta(days=10)).isoformat(),
            "expires_on": (today + timedelta(days=300)).isoformat(),
        }
        for kind in kinds
    ]


mentors = st.lists(
    st.fixed_dictionaries(
        {
            "languages": st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True),
            "branches": st.lists(st.sampled_from(BRANCHES), min_size=1, max_size=2, unique=True),
            "capacity": st.sampled_from([0, 1, 2, 2, 3]),
            "remote_ok": st.booleans(),
            "gender": st.sampled_from(GENDERS),
            "supervisor_id": st.sampled_from([None, "sup-1"]),
            "crisis": st.booleans(),
        }
    ),
    min_size=2,
    max_size=4,
)

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("admit"),
            st.sampled_from(PATIENTS),
            st.sampled_from(BRANCHES),
            st.sampled_from(LANGUAGES),
        ),
        st.tuples(st.just("discharge"), st.integers(0, 9)),
        st.tuples(st.just("transfer"), st.integers(0, 9), st.sampled_from(BRANCHES)),
        st.tuples(st.just("withdraw"), st.sampled_from(PATIENTS)),
        st.tuples(st.just("leave"), st.integers(0, 3), st.booleans()),
        st.tuples(st.just("capacity"), st.integers(0, 3), st.integers(0, 2)),
        st.tuples(st.just("decline"), st.integers(0, 9)),
        st.tuples(st.just("prefer"), st.sampled_from(PATIENTS), st.sampled_from(GENDERS)),
        st.tuples(st.just("risk"), st.integers(0, 9)),
        st.tuples(st.just("conflict"), st.integers(0, 3), st.sampled_from(PATIENTS)),
        st.tuples(st.just("approve"), st.integers(0, 9)),
    ),
    min_size=6,
    max_size=30,
)


class World:
    """The episodes published so far, as intake would have them."""

    def __init__(self, sessions: db.SessionMaker) -> None:
        self.sessions = sessions
        self.episodes: list[Any] = []  # latest EpisodeState of each
        self.consent_version: Counter[str] = Counter()  # by episode_id

    async def deliver(self, event: Event) -> None:
        async with db.transaction(self.sessions) as session:
            await HANDLERS[event.SUBJECT](session, event)

    async def consent(self, patient_ref: str, status: str) -> None:
        """The patient's answer for each of their stays (a withdrawal reaches every stay)."""
        latest = {state.episode_id: state for state in self.episodes}
        for stay in latest.values():
            if stay.patient_ref == patient_ref:
                self.consent_version[stay.episode_id] += 1
                version = self.consent_version[stay.episode_id]
                await self.deliver(events.consent(stay, status, version))

    def episode(self, n: int) -> Any | None:
        return self.episodes[n % len(self.episodes)] if self.episodes else None

    async def change(self, n: int, cls: type[Event], **update: Any) -> None:
        state = self.episode(n)
        if state is None or state.status != "admitted":
            return
        new = state.model_copy(update={**update, "version": state.version + 1})
        self.episodes[self.episodes.index(state)] = new
        await self.deliver(cls.new(new, branch=new.branch))

    async def holding(self, n: int) -> Match | None:
        state = self.episode(n)
        if state is None:
            return None
        async with self.sessions() as session:
            return await session.scalar(
                select(Match).where(
                    col(Match.episode_id) == state.episode_id, col(Match.status).in_(HOLDING)
                )
            )


async def _step(world: World, step: tuple, mentor_ids: list[str]) -> None:
    kind, *args = step
    match kind:
        case "admit":
            patient_ref, branch, language = args
            state = events.episode(patient_ref=patient_ref, branch=branch, language=language)
            world.episodes.append(state)
            await world.deliver(EpisodeAdmitted.new(state, branch=branch))
            # Every stay is asked afresh; this patient says yes.
            world.consent_version[state.episode_id] = 1
            await world.deliver(events.consent(state))
        case "discharge":
            await world.change(
                args[0], EpisodeDischarged, status="discharged", discharged_at=datetime.now(UTC)
            )
        case "transfer":
            await world.change(args[0], EpisodeBranchTransferred, branch=args[1])
        case "withdraw":
            await world.consent(args[0], "withdrawn")
        case "leave" | "capacity":
            mentor_id = mentor_ids[args[0] % len(mentor_ids)]
            body = (
                {"status": "on_leave" if args[1] else "active"}
                if kind == "leave"
                else {"capacity": args[1]}
            )
            async with db.transaction(world.sessions) as session:
                await pool.update_mentor(
                    session, mentor_id, MentorUpdate(**body), POLICY, SETTINGS.core_certifications
                )
        case "decline" | "approve":
            match = await world.holding(args[0])
            if match is None:
                return
            async with db.transaction(world.sessions) as session:
                if kind == "decline":
                    await handlers.decline(session, match.match_id, "patient_declined", POLICY)
                elif match.status == "proposed":
                    role = match.awaiting[0]
                    reviewer = match.supervisor_id if role == "supervisor" else "coord-1"
                    await review.approve(
                        session, match.match_id, ReviewRequest(reviewer_id=reviewer, role=role)
                    )
        case "prefer":
            request = PreferencesRequest(mentor_gender=args[1], recorded_by="coord-1")
            async with db.transaction(world.sessions) as session:
                await patients.record_preferences(session, args[0], request, POLICY)
        case "risk":
            state = world.episode(args[0])
            if state is not None:
                async with db.transaction(world.sessions) as session:
                    await patients.assess_risk(
                        session,
                        state.episode_id,
                        RiskRequest(level="high", assessed_by="dr-1"),
                        POLICY,
                    )
        case "conflict":
            mentor_id = mentor_ids[args[0] % len(mentor_ids)]
            async with db.transaction(world.sessions) as session:
                await patients.declare_conflict(
                    session, mentor_id, ConflictRequest(patient_ref=args[1]), POLICY
                )


async def _check(world: World) -> None:
    """The invariants, read back from the database."""
    async with world.sessions() as session:
        held = list(await session.scalars(select(Match).where(col(Match.status).in_(HOLDING))))
        per_mentor = Counter(m.mentor_id for m in held)
        assert len({m.episode_id for m in held}) == len(held), "two held matches for an episode"
        for mentor in await session.scalars(select(Mentor)):
            assert per_mentor[mentor.mentor_id] == mentor.active_mentees <= mentor.capacity
        today = datetime.now(UTC).date()
        for match in held:
            episode = await session.get(EpisodeProjection, match.episode_id)
            consent = await session.get(ConsentProjection, match.episode_id)
            assert episode is not None and consent is not None and consent.status == "given"
            assert episode.status == "admitted" or match.continues_until is not None
            wanted = await need_of(session, episode, POLICY, datetime.now(UTC))
            mentor = await session.get(Mentor, match.mentor_id)
            assert mentor is not None
            profile = await mentor_profile(session, mentor)
            if episode.status == "admitted":
                assert domain.unfit_reason(profile, wanted.need, today) is None
                assert match.mentor_id not in wanted.excluded | wanted.admitted_mentors
            assert mentor.status == "active", "a mentor who stepped back still holds a match"
        held_episodes = {m.episode_id for m in held}
        waiting = set(
            await session.scalars(
                select(col(WaitlistEntry.episode_id)).where(col(WaitlistEntry.status) == "waiting")
            )
        )
        for episode in await session.scalars(select(EpisodeProjection)):
            consent = await session.get(ConsentProjection, episode.episode_id)
            if episode.status == "admitted" and consent is not None and consent.status == "given":
                assert episode.episode_id in held_episodes | waiting, "a patient was lost"


async def _run(database: Path, pool_spec: list[dict], sequence: list[tuple]) -> None:
    engine = db.make_engine(f"sqlite+aiosqlite:///{database}")
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    sessions = db.make_sessionmaker(engine)
    world = World(sessions)
    mentor_ids = []
    for n, spec in enumerate(pool_spec):
        crisis = spec.pop("crisis")
        body = {**spec, "certifications": _certifications(crisis)}
        request = MentorCreate(mentor_id=f"mn_{n}", display_name="Mentor", **body)
        async with db.transaction(sessions) as session:
            await pool.register_mentor(session, request, POLICY, SETTINGS.core_certifications)
        mentor_ids.append(f"mn_{n}")
    try:
        for step in sequence:
            try:
                await _step(world, step, mentor_ids)
            except DomainError:
                pass  # refused (e.g. preferences before consent): nothing may have changed
            await _check(world)
    finally:
        await engine.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mentors, steps)
def test_no_event_sequence_breaks_a_rule_or_loses_a_patient(tmp_path, pool_spec, sequence):
    database = tmp_path / f"matching-{uuid.uuid4().hex}.db"
    try:
        asyncio.run(_run(database, [dict(s) for s in pool_spec], sequence))
    finally:
        database.unlink(missing_ok=True)
