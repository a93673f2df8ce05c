"""The replay's REST steps: admissions and their changes, consent, preferences, mentors."""

import asyncio
import time
from typing import TYPE_CHECKING

import httpx

from saathi_stack.simulate import adapters
from saathi_stack.simulate.model import Step
from saathi_stack.simulate.snapshot import moment
from shared.contracts.envelope import utcnow as now

if TYPE_CHECKING:
    from saathi_stack.simulate.driver import Driver

PATHS = {
    "rest_discharge": "discharge",
    "rest_cancel": "cancel-admission",
    "rest_transfer": "transfer",
}


async def send_rest(driver: "Driver", step: Step) -> httpx.Response | None:
    """Send one REST step; the response to judge (None when it went to the background)."""
    client, target, journal = driver.client, driver.target, driver.journal
    intake = target.urls["intake"]
    if step.kind == "rest_admit":
        response = await client.post(
            f"{intake}/admissions", json=adapters.admission_body(step.body)
        )
        if response.is_success and step.stay:
            episode = response.json()["episode"]
            journal.episodes[step.stay] = episode["episode_id"]
            journal.patient_refs[step.stay] = episode["patient_ref"]
        return response
    if step.kind in PATHS:
        episode_id = journal.episodes.get(step.stay or "", "unknown")
        return await client.post(
            f"{intake}/episodes/{episode_id}/{PATHS[step.kind]}", json=step.body
        )
    if step.kind == "consent":
        return await _consent(driver, step)
    if step.kind == "preferences":
        driver.later(asyncio.create_task(_preferences(driver, step)))
        return None
    mentor = step.mentor or ""
    if step.kind == "leave_start":
        response = await adapters.start_leave(client, target, mentor)
        if response.is_success:
            journal.unavailable.setdefault(mentor, []).append((now(), None))
        return response
    if step.kind == "leave_end":
        ends = now()
        spans = journal.unavailable.get(mentor, [])
        if spans and spans[-1][1] is None:
            spans[-1] = (spans[-1][0], ends)
        return await adapters.end_leave(client, target, mentor)
    response = await adapters.lapse_certificates(client, target, mentor)
    if response.is_success:
        journal.unavailable.setdefault(mentor, []).append((now(), None))
    return response


async def patient_ref_of(driver: "Driver", stay_key: str) -> str | None:
    """The patient_ref of a stay's registration, looked up once."""
    journal = driver.journal
    if stay_key not in journal.patient_refs:
        stay = driver.scenario.stays[stay_key]
        person = driver.scenario.people[stay.person]
        record = person.records[stay.record]
        found = await adapters.find_patient_ref(driver.client, driver.target, record, person.abha)
        if found is None:
            return None
        journal.patient_refs[stay_key] = found
    return journal.patient_refs[stay_key]


async def episode_of(driver: "Driver", stay_key: str) -> str | None:
    """The episode of a stay (REST: from the admission; HL7: by its admission time)."""
    if stay_key in driver.journal.episodes:
        return driver.journal.episodes[stay_key]
    stay = driver.scenario.stays[stay_key]
    offset = 0
    while True:
        page = await driver.client.get(
            f"{driver.target.urls['intake']}/episodes", params={"offset": offset, "limit": 1000}
        )
        rows = page.json()
        for row in rows:
            if moment(row["admitted_at"]) == stay.admitted_at:
                driver.journal.episodes[stay_key] = row["episode_id"]
                return str(row["episode_id"])
        if len(rows) < 1000:
            return None
        offset += len(rows)


async def _consent(driver: "Driver", step: Step) -> httpx.Response | None:
    stay = step.stay or ""
    patient_ref = await patient_ref_of(driver, stay)
    if patient_ref is None:
        driver.journal.refused.append(f"{stay} consent: the patient was not found by MRN or ABHA")
        return None
    decision = step.body["decision"]
    asked = now()
    response = await adapters.record_consent(
        driver.client,
        driver.target,
        patient_ref,
        lambda: episode_of(driver, stay),
        decision,  # type: ignore[arg-type]
    )
    if decision == "given" and response.is_success:
        driver.journal.consent_at.setdefault(stay, asked)
    return response


async def _preferences(driver: "Driver", step: Step) -> None:
    """Record preferences once matching knows the patient (it may take a moment)."""
    stay = step.stay or ""
    patient_ref = await patient_ref_of(driver, stay)
    url = f"{driver.target.urls['matching']}/patients/{patient_ref}/preferences"
    deadline = time.monotonic() + 30
    while True:
        response = await driver.client.put(url, json=step.body)
        if response.status_code not in (404, 409) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    if response.is_success:
        driver.journal.preferences_at[stay] = now()
    else:
        driver.journal.refused.append(f"{stay} preferences: HTTP {response.status_code}")
