"""Batching changes nothing: random intake histories applied to matching's
`matching-intake-events` consumer one event per transaction with the per-event handlers, and in
batches of random sizes with the batch handlers, leave the same tables and stage the same
events (SQLite; also PostgreSQL when SAATHI_TEST_DATABASE_URL is set)."""

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

import shared.inbox
from helpers import events
from helpers.backends import Databases
from helpers.differential import outgoing, replay, snapshot
from matching.app import policy_from, pool_options_from
from matching.config import MatchingSettings
from matching.consumers import consumer_specs
from matching.matches.models import Match
from matching.patients.models import ConsentProjection, EpisodeProjection
from matching.pool import handlers as pool
from matching.pool.models import Mentor
from matching.pool.schemas import MentorCreate
from matching.waitlist.models import WaitlistEntry
from shared import db
from shared.contracts.envelope import Event
from shared.contracts.intake import EpisodeBranchTransferred

CORE = ["active_listening", "boundaries", "ethics"]
SETTINGS = MatchingSettings(core_certifications=CORE, review_branches=["kol-behala"])
POLICY = policy_from(SETTINGS)
BATCHED = consumer_specs(POLICY, pool_options_from(SETTINGS))[0]
ONE_BY_ONE = dataclasses.replace(BATCHED, batch_handlers={})
TABLES = (
    EpisodeProjection,
    ConsentProjection,
    Match,
    WaitlistEntry,
    Mentor,
    shared.inbox.InboxRecord,
)
PATIENTS = [f"pt_{n}" for n in range(4)]

step = st.one_of(
    st.tuples(
        st.just("admit"),
        st.sampled_from(PATIENTS),
        st.sampled_from(["kol-salt-lake", "kol-behala"]),
    ),
    st.tuples(
        st.just("consent"),
        st.integers(0, 7),
        st.sampled_from(["given", "given", "withdrawn", "declined"]),
    ),
    st.tuples(st.just("discharge"), st.integers(0, 7)),
    st.tuples(st.just("cancel_discharge"), st.integers(0, 7)),
    st.tuples(st.just("transfer"), st.integers(0, 7)),
    st.tuples(st.just("relabel"), st.integers(0, 7), st.sampled_from(PATIENTS)),
    st.tuples(st.just("consent_first"), st.sampled_from(PATIENTS), st.just("kol-salt-lake")),
    st.tuples(st.just("redeliver"), st.integers(0, 30)),
    st.tuples(st.just("swap"), st.integers(0, 30)),
)


def history(steps: list[tuple[Any, ...]]) -> list[Event]:
    """Intake's events for these steps, with redeliveries and neighbours out of order."""
    stays: list[Any] = []
    consent_versions: dict[str, int] = {}
    out: list[Event] = []
    for kind, *args in steps:
        stay = stays[args[0] % len(stays)] if stays and isinstance(args[0], int) else None
        if kind in ("admit", "consent_first"):
            state = events.episode(patient_ref=args[0], branch=args[1])
            stays.append(state)
            if kind == "consent_first":  # the consent overtook the admission
                consent_versions[state.episode_id] = 1
                out.append(events.consent(state))
            out.append(events.admitted(state))
        elif kind == "consent" and stay is not None:
            consent_versions[stay.episode_id] = consent_versions.get(stay.episode_id, 0) + 1
            out.append(events.consent(stay, args[1], consent_versions[stay.episode_id]))
        elif kind in ("discharge", "cancel_discharge", "transfer", "relabel") and stay is not None:
            event = _change(kind, stay, args)
            stays[stays.index(stay)] = event.data
            out.append(event)
        elif kind == "redeliver" and out:
            out.append(out[args[0] % len(out)])
        elif kind == "swap" and len(out) > 1:
            n = args[0] % (len(out) - 1)
            out[n], out[n + 1] = out[n + 1], out[n]
    return out


def _change(kind: str, stay: Any, args: list[Any]) -> Event:
    if kind == "discharge":
        return events.discharged(stay)
    if kind == "cancel_discharge":
        return events.discharge_cancelled(events.discharged(stay))
    if kind == "relabel":
        return events.relabelled(stay, args[1])
    moved = stay.model_copy(update={"branch": "kol-behala", "version": stay.version + 1})
    return EpisodeBranchTransferred.new(moved, branch=moved.branch)


async def _fresh(url: str) -> db.SessionMaker:
    engine = db.make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    sessions = db.make_sessionmaker(engine)
    today = datetime.now(UTC).date()
    certs = [
        {
            "kind": k,
            "issued_on": str(today - timedelta(days=1)),
            "expires_on": str(today + timedelta(days=99)),
        }
        for k in CORE
    ]
    for n, (capacity, branches) in enumerate(
        [(1, ["kol-salt-lake"]), (2, ["kol-salt-lake", "kol-behala"])]
    ):
        request = MentorCreate(
            mentor_id=f"mn_{n}",
            display_name="M",
            languages=["bn"],
            branches=branches,
            capacity=capacity,
            certifications=certs,  # type: ignore[arg-type]
            supervisor_id="sup-1",
        )
        async with db.transaction(sessions) as session:
            await pool.register_mentor(session, request, POLICY, CORE)
    return sessions


async def _outcome(url: str, spec: Any, stream: list[Event], sizes: list[int]) -> Any:
    sessions = await _fresh(url)
    try:
        await replay(spec, sessions, stream, sizes)
        sent, renamed = await outgoing(sessions)
        return sent, await snapshot(sessions, TABLES, renamed)
    finally:
        await sessions.kw["bind"].dispose()


async def _compare(tmp_path: Any, stream: list[Event], sizes: list[int]) -> None:
    dbs = Databases(tmp_path)
    try:
        one = await _outcome(await dbs.url("one"), ONE_BY_ONE, stream, [1])
        batched = await _outcome(await dbs.url("batched"), BATCHED, stream, sizes)
    finally:
        await dbs.drop_all()
        for file in tmp_path.glob("*.db*"):
            file.unlink()
    assert batched[0] == one[0], "the batches staged other events"
    for table, rows in one[1].items():
        differing = set(batched[1][table]) ^ set(rows)
        assert batched[1][table] == rows, f"the batches left other rows in {table}: {differing}"


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(step, min_size=4, max_size=40), st.lists(st.integers(1, 40), min_size=1, max_size=5)
)
def test_batches_of_any_size_have_the_effects_of_one_event_at_a_time(tmp_path, steps, sizes):
    asyncio.run(_compare(tmp_path, history(steps), sizes))
