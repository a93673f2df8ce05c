"""Drive the platform over HTTP and read back what each service recorded."""

from dataclasses import dataclass

import httpx

from helpers import factories
from helpers.waiting import wait_until
from saathi_stack.stack import LocalStack

BRANCHES = ("kol-salt-lake", "kol-park-street", "kol-behala")


@dataclass
class Admitted:
    """An admission made by the test."""

    episode_id: str
    patient_ref: str
    branch: str


async def seed(
    client: httpx.AsyncClient, stack: LocalStack, mentors_per_branch: int, capacity: int
) -> None:
    """Mentors, and an outpatient group (in sessions) at every branch."""
    for branch in BRANCHES:
        for n in range(mentors_per_branch):
            response = await client.post(
                f"{stack.url('matching')}/mentors",
                json=factories.mentor(
                    mentor_id=f"{branch}-m{n}", branches=[branch], capacity=capacity
                ),
            )
            assert response.status_code == 201, response.text
        await open_group(client, stack, factories.group(branch, f"{branch}-m0", capacity=50))


async def open_group(client: httpx.AsyncClient, stack: LocalStack, body: dict) -> str:
    """Set up a group in sessions once it has heard of the facilitator from matching."""
    response = await wait_until(
        lambda: client.post(f"{stack.url('sessions')}/groups", json=body),
        lambda r: "not in the mentor pool" not in r.text,
        what="the facilitator known to sessions",
    )
    assert response.status_code == 201, response.text
    return str(response.json()["group_id"])


async def admit_with_consent(
    client: httpx.AsyncClient, stack: LocalStack, n: int
) -> list[Admitted]:
    """Admit `n` patients round-robin over the branches, each consenting."""
    admitted = []
    for i in range(n):
        branch = BRANCHES[i % len(BRANCHES)]
        response = await client.post(
            f"{stack.url('intake')}/admissions", json=factories.admission(branch)
        )
        assert response.status_code == 201, response.text
        episode = response.json()["episode"]
        consent = await client.put(
            f"{stack.url('intake')}/patients/{episode['patient_ref']}/consent",
            json=factories.consent(),
        )
        assert consent.status_code == 200, consent.text
        admitted.append(Admitted(episode["episode_id"], episode["patient_ref"], branch))
    return admitted


async def discharge(client: httpx.AsyncClient, stack: LocalStack, episodes: list[Admitted]) -> None:
    """Discharge every episode."""
    for episode in episodes:
        response = await client.post(
            f"{stack.url('intake')}/episodes/{episode.episode_id}/discharge", json={}
        )
        assert response.status_code == 200, response.text


async def fetch_all(client: httpx.AsyncClient, url: str, **params: str) -> list[dict]:
    """Every row of a paginated list endpoint."""
    rows: list[dict] = []
    while True:
        page = (await client.get(url, params={**params, "offset": len(rows), "limit": 1000})).json()
        rows.extend(page)
        if len(page) < 1000:
            return rows


async def matches(client: httpx.AsyncClient, stack: LocalStack) -> list[dict]:
    """All matches."""
    return await fetch_all(client, f"{stack.url('matching')}/matches")


async def settled(client: httpx.AsyncClient, stack: LocalStack, episodes: list[Admitted]) -> bool:
    """Every episode has a match or a waitlist entry."""
    matched = {m["episode_id"] for m in await matches(client, stack)}
    waiting = {
        w["episode_id"] for w in await fetch_all(client, f"{stack.url('matching')}/waitlist")
    }
    return all(e.episode_id in matched or e.episode_id in waiting for e in episodes)
