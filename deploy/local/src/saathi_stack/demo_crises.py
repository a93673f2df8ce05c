"""A simulated crisis now and then, so the duty screen is never empty in a demo: a mentor's
flag on a random active match, every minute or two, with the oldest resolved once a few are
open (as the on-call clinician would)."""

import asyncio
import random
from dataclasses import dataclass

import httpx

SEVERITIES = ("moderate", "high", "critical")
MOST_OPEN = 3


@dataclass
class CrisisDrill:
    """Flags demo crises through the sessions API (with a coordinator's token)."""

    matching_url: str
    sessions_url: str
    headers: dict[str, str]
    every_s: tuple[float, float] = (60.0, 120.0)
    seed: int | None = None
    flagged: int = 0

    async def run(self) -> None:
        """Flag one crisis per interval until cancelled; a failed attempt is skipped."""
        chance = random.Random(self.seed)
        async with httpx.AsyncClient(timeout=10, headers=self.headers) as client:
            while True:
                await asyncio.sleep(chance.uniform(*self.every_s))
                try:
                    await self._resolve_oldest(client)
                    await self._flag_one(client, chance)
                except (httpx.HTTPError, KeyError, ValueError):
                    continue

    async def _flag_one(self, client: httpx.AsyncClient, chance: random.Random) -> None:
        answer = await client.get(
            f"{self.matching_url}/matches", params={"status": "active", "limit": 50}
        )
        active = answer.json() if answer.is_success else []
        if not active:
            return
        match = chance.choice(active)
        body = {
            "match_id": match["match_id"],
            "severity": chance.choice(SEVERITIES),
            "summary": "Demo: the mentor is worried after today's session.",
        }
        if (await client.post(f"{self.sessions_url}/crises", json=body)).status_code == 201:
            self.flagged += 1

    async def _resolve_oldest(self, client: httpx.AsyncClient) -> None:
        answer = await client.get(f"{self.sessions_url}/crises", params={"status": "open"})
        still_open = answer.json() if answer.is_success else []
        for crisis in still_open[MOST_OPEN - 1 :]:
            alerted = [alert["person_id"] for alert in crisis["alerts"] if alert.get("person_id")]
            if alerted:
                body = {"person_id": alerted[-1], "resolution": "Demo: settled with the patient."}
                await client.post(
                    f"{self.sessions_url}/crises/{crisis['crisis_id']}/resolve", json=body
                )
