"""Sessions on real JetStream for tests: matches it learns of, as matching would publish them."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from helpers.apps import FAST, FakeClock, RunningService, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings
from shared.contracts.matching import MatchMade, MatchState


@asynccontextmanager
async def sessions_running(
    nats_url: str, dbs: Databases, clock: FakeClock, **settings: Any
) -> AsyncIterator[RunningService]:
    """The sessions service on this NATS and a fresh database, on a clock the test moves."""
    config = SessionsSettings(
        database_url=await dbs.url("sessions"), nats_url=nats_url, **{**FAST, **settings}
    )
    async with running(partial(create_app, clock=clock), config) as service:
        yield service


def match(
    match_id: str,
    patient_ref: str,
    mentor_id: str = "mn_1",
    branch: str = "kol-salt-lake",
    matched_at: datetime | None = None,
    episode_id: str | None = None,
) -> MatchState:
    """An active match's state (for episode `ep_<match_id>` unless told)."""
    return MatchState(
        version=1,
        match_id=match_id,
        episode_id=episode_id or f"ep_{match_id}",
        patient_ref=patient_ref,
        mentor_id=mentor_id,
        branch=branch,
        status="active",
        matched_at=matched_at or datetime.now(UTC),
    )


async def known_matches(
    service: RunningService, nats_url: str, *states: MatchState
) -> list[dict[str, Any]]:
    """Publish the matches and wait until sessions scheduled their introductions (returned)."""
    async with Publisher(nats_url) as publisher:
        for state in states:
            await publisher.event(MatchMade.new(state, branch=state.branch))
    ids = {state.match_id for state in states}

    async def introductions() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = (await service.client.get("/sessions")).json()
        return [row for row in rows if row["match_id"] in ids]

    return await wait_until(introductions, lambda rows: len(rows) == len(ids), what="introductions")
