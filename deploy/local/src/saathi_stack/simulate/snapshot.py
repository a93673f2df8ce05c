"""What the services hold at the end of a replay, read through their APIs."""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

from saathi_stack.simulate.adapters import Target
from saathi_stack.simulate.model import Scenario


def moment(text: str | None) -> datetime | None:
    """An API timestamp as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


@dataclass
class Snapshot:
    """Episodes, matches, the waitlist, mentors, patients and preferences."""

    episodes: list[dict]
    matches: list[dict]
    waiting: list[dict]
    mentors: dict[str, dict]
    patients: dict[str, dict]
    preferences: dict[str, dict]

    def episode_at(self, admitted_at: datetime) -> dict | None:
        """The episode admitted at that moment (each stay of the replay has its own)."""
        return self._by_admission.get(admitted_at)

    def __post_init__(self) -> None:
        self._by_admission = {moment(e["admitted_at"]): e for e in self.episodes}


async def fetch_all(client: httpx.AsyncClient, url: str, **params: str) -> list[dict]:
    """Every row of a paginated list endpoint."""
    rows: list[dict] = []
    while True:
        response = await client.get(url, params={**params, "offset": len(rows), "limit": 1000})
        response.raise_for_status()
        page = response.json()
        rows.extend(page)
        if len(page) < 1000:
            return rows


async def _signature(client: httpx.AsyncClient, target: Target) -> tuple[int, ...]:
    matches = await fetch_all(client, f"{target.urls['matching']}/matches")
    waiting = await fetch_all(client, f"{target.urls['matching']}/waitlist")
    sessions = await fetch_all(client, f"{target.urls['sessions']}/sessions")
    return (
        len(matches),
        sum(m["version"] for m in matches),
        len(waiting),
        len(sessions),
        sum(s["version"] for s in sessions),
    )


async def settle(
    client: httpx.AsyncClient, target: Target, quiet_s: float = 3.0, timeout_s: float = 180.0
) -> None:
    """Wait until matching and sessions have stopped changing for `quiet_s` (every event of
    the replay has been consumed), or fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    last, since = await _signature(client, target), time.monotonic()
    while time.monotonic() - since < quiet_s:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the services were still changing after {timeout_s:.0f}s")
        await asyncio.sleep(0.5)
        current = await _signature(client, target)
        if current != last:
            last, since = current, time.monotonic()


async def read(client: httpx.AsyncClient, target: Target, scenario: Scenario) -> Snapshot:
    """Everything the checks look at."""
    intake, matching = target.urls["intake"], target.urls["matching"]
    episodes = await fetch_all(client, f"{intake}/episodes")
    refs = {e["patient_ref"] for e in episodes}
    patients = {}
    for ref in refs:
        found = await client.get(f"{intake}/patients/{ref}")
        if found.status_code == 200:
            patients[ref] = found.json()
    preferences = {}
    for ref in refs:
        found = await client.get(f"{matching}/patients/{ref}/preferences")
        if found.status_code == 200:
            preferences[ref] = found.json()
    return Snapshot(
        episodes=episodes,
        matches=await fetch_all(client, f"{matching}/matches"),
        waiting=await fetch_all(client, f"{matching}/waitlist"),
        mentors={m["mentor_id"]: m for m in await fetch_all(client, f"{matching}/mentors")},
        patients=patients,
        preferences=preferences,
    )
