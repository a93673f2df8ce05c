"""Sessions on real JetStream for tests: matches it learns of, as matching would publish them."""

from datetime import UTC, datetime
from typing import Any

from helpers.apps import RunningService
from helpers.events import Publisher
from helpers.waiting import wait_until
from shared.contracts.matching import MatchMade, MatchState


def match(
    match_id: str,
    patient_ref: str,
    mentor_id: str = "mn_1",
    branch: str = "kol-salt-lake",
    matched_at: datetime | None = None,
) -> MatchState:
    """An active match's state."""
    return MatchState(
        version=1,
        match_id=match_id,
        episode_id=f"ep_{match_id}",
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
