"""Demo people notify alerts, so a crisis in `make run` reaches someone: the network-level
on-call clinician (sessions' local fallback duty chain), each branch's coordinator and
supervisor, a network coordinator and ops. Console only: the local stack sends no e-mail."""

import httpx

from saathi_stack.demo import BRANCHES

NETWORK_ON_CALL = "network-on-call"


def people() -> dict[str, dict[str, object]]:
    """Directory entries by person id (no contact details: the console is their channel)."""
    found: dict[str, dict[str, object]] = {
        NETWORK_ON_CALL: {"roles": ["clinician"], "branches": []},
        "co-network": {"roles": ["coordinator"], "branches": []},
        "ops-on-call": {"roles": ["ops"], "branches": []},
    }
    for branch in BRANCHES:
        found[f"co-{branch}"] = {"roles": ["coordinator"], "branches": [branch]}
        found[f"sup-{branch}"] = {"roles": ["supervisor"], "branches": [branch]}
    return found


def seed(client: httpx.Client, notify_url: str) -> int:
    """Put the demo people unless they exist; how many were new."""
    new = 0
    for person_id, body in people().items():
        url = f"{notify_url}/people/{person_id}"
        if client.get(url).status_code == 404:
            client.put(url, json={**body, "language": "bn"}).raise_for_status()
            new += 1
    return new
