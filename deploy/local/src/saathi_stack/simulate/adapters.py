"""Where the replay meets the APIs issue 14 changes: each function here is the one place to
point at a new API (consent per stay, dated leave, a mentor linked to their patient record,
identifiers keyed by assigning authority)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from saathi_stack.simulate.model import Decision, Mentor, Record

CORE_CERTIFICATIONS = ("active_listening", "boundaries", "crisis_response", "ethics")


@dataclass
class Target:
    """Where the stack is: the services' URLs, intake's MLLP port, a coordinator's token."""

    urls: dict[str, str]
    mllp_port: int
    headers: dict[str, str] = field(default_factory=dict)
    mllp_host: str = "127.0.0.1"


def certifications(expires: date) -> list[dict[str, str]]:
    """The core certifications, issued a year before `expires`."""
    issued = expires - timedelta(days=365)
    return [
        {"kind": kind, "issued_on": issued.isoformat(), "expires_on": expires.isoformat()}
        for kind in CORE_CERTIFICATIONS
    ]


def mentor_body(mentor: Mentor) -> dict[str, object]:
    """A mentor's registration in matching."""
    return {
        "mentor_id": mentor.mentor_id,
        "display_name": f"Mentor {mentor.mentor_id}",
        "languages": mentor.languages,
        "branches": mentor.branches,
        "lived_experience": mentor.lived_experience,
        "capacity": mentor.capacity,
        "gender": mentor.gender,
        "certifications": certifications(date.today() + timedelta(days=365)),
    }


def admission_body(body: dict[str, object]) -> dict[str, object]:
    """A REST admission, its MRN named with the facility that issued it (`mrn_authority`)."""
    return {key: value for key, value in body.items() if value is not None}


async def find_patient_ref(
    client: httpx.AsyncClient, target: Target, record: Record, abha: str | None
) -> str | None:
    """The patient_ref intake gave the registration a message named: by the MRN under the
    facility that issued it, else by the ABHA number (any spelling finds it)."""
    lookups = [{"authority": record.mrn_authority, "type": "MR", "value": record.mrn}]
    if abha:
        lookups.append({"type": "ABHA", "value": abha})
    for params in lookups:
        found = await client.get(f"{target.urls['intake']}/patients", params=params)
        if found.status_code == 200:
            return str(found.json()["patient_ref"])
    return None


async def record_consent(
    client: httpx.AsyncClient,
    target: Target,
    patient_ref: str,
    episode_id: Callable[[], Awaitable[str | None]],
    decision: Decision,
) -> httpx.Response:
    """Record this stay's consent answer (given, declined or withdrawn) for the stay itself;
    if intake cannot name the stay yet, for the patient's current stay."""
    body = {
        "status": decision,
        "text_version": "v1",
        "text_language": "bn",
        "recorded_by": "coord-sim",
    }
    stay = await episode_id()
    if stay is None:
        url = f"{target.urls['intake']}/patients/{patient_ref}/consent"
    else:
        url = f"{target.urls['intake']}/episodes/{stay}/consent"
    return await client.put(url, json=body)


async def start_leave(client: httpx.AsyncClient, target: Target, mentor_id: str) -> httpx.Response:
    """The mentor goes on leave now. Dated leave counts in calendar days, which a replay at a
    compressed clock cannot wait for, so the open-ended `on_leave` status stands in for it."""
    url = f"{target.urls['matching']}/mentors/{mentor_id}"
    return await client.patch(url, json={"status": "on_leave"})


async def end_leave(client: httpx.AsyncClient, target: Target, mentor_id: str) -> httpx.Response:
    """The mentor is back from leave."""
    url = f"{target.urls['matching']}/mentors/{mentor_id}"
    return await client.patch(url, json={"status": "active"})


async def lapse_certificates(
    client: httpx.AsyncClient, target: Target, mentor_id: str
) -> httpx.Response:
    """The mentor's certificates lapse. The services' clock cannot be moved past the expiry,
    so at the simulated moment it passes the coordinator records the expired certificates,
    which matching accepts only for a mentor no longer active: suspended until renewed."""
    url = f"{target.urls['matching']}/mentors/{mentor_id}"
    expired = certifications(date.today() - timedelta(days=1))
    return await client.patch(url, json={"status": "suspended", "certifications": expired})


async def link_mentor(
    client: httpx.AsyncClient, target: Target, mentor_id: str, record: Record, abha: str | None
) -> bool:
    """Link a mentor to their own patient record (the identifiers stay in intake's vault;
    matching learns only the reference); True when intake took the link."""
    body: dict[str, str] = {"mrn": record.mrn, "mrn_authority": record.mrn_authority}
    if abha:
        body["abha"] = abha
    url = f"{target.urls['intake']}/mentors/{mentor_id}/patient-link"
    return (await client.put(url, json=body)).is_success
