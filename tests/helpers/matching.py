"""Matching on real JetStream for tests: the service, and admitting consenting patients."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from helpers import events
from helpers.apps import FAST, RunningService, running
from helpers.backends import Databases
from helpers.events import Publisher
from matching.app import create_app
from matching.config import MatchingSettings
from shared.contracts.intake import EpisodeState


@asynccontextmanager
async def matching_running(
    nats_url: str, dbs: Databases, **settings: Any
) -> AsyncIterator[RunningService]:
    """The matching service on this NATS and a fresh database (unless `database_url` names
    one, e.g. to start again on the same data), with these settings."""
    database_url = settings.pop("database_url", None) or await dbs.url("matching")
    config = MatchingSettings(
        database_url=database_url,
        nats_url=nats_url,
        max_attempts=3,
        **{**FAST, **settings},
    )
    async with running(create_app, config) as service:
        yield service


async def matches(service: RunningService, **params: Any) -> list[dict[str, Any]]:
    """`GET /matches` with these filters."""
    found: list[dict[str, Any]] = (await service.client.get("/matches", params=params)).json()
    return found


async def admit_with_consent(publisher: Publisher, **overrides: Any) -> EpisodeState:
    """Publish an admission and the patient's consent; return the episode."""
    state = events.episode(**overrides)
    await publisher.event(events.admitted(state))
    await publisher.event(events.consent(state))
    return state
