"""Intake links a mentor to their own patient record: only the patient_ref leaves the vault."""

import json

from helpers import factories
from helpers.auth import bearer
from helpers.intake import published
from helpers.streams import messages_on, stream_messages

LINK = "/mentors/mn-asha/patient-link"


async def link_events(nats_url: str) -> list[dict]:
    found = await messages_on(nats_url, "SAATHI_INTAKE", "intake.mentor.")
    return [json.loads(m.data) | {"subject": m.subject} for m in found]


async def test_a_mentor_is_linked_to_the_record_their_identifiers_name(intake, clean_nats):
    body = factories.admission(abha="91-4443-4293-4402")
    admitted = (await intake.client.post("/admissions", json=body)).json()["episode"]

    linked = await intake.client.put(
        LINK, json={"mrn": body["mrn"], "mrn_authority": "kol-salt-lake"}
    )
    again = await intake.client.put(
        LINK, json={"mrn": body["mrn"], "mrn_authority": "kol-salt-lake", "abha": body["abha"]}
    )

    assert linked.status_code == 200, linked.text
    assert linked.json()["status"] == "linked" and linked.json()["version"] == 1
    assert "patient_ref" not in linked.json()  # the caller learns nothing about the record
    assert again.json()["version"] == 1  # the same link again changes nothing
    await published(clean_nats, 2)
    await intake.runtime.relay.drain()
    [event] = await link_events(clean_nats)
    assert event["subject"] == "intake.mentor.linked.v1"
    assert event["data"]["mentor_id"] == "mn-asha"
    assert event["data"]["patient_ref"] == admitted["patient_ref"]
    raw = json.dumps(event)
    for secret in (body["mrn"], body["abha"], body["family_name"]):
        assert secret not in raw


async def test_a_mentor_who_was_never_admitted_here_is_known_at_their_first_admission(
    intake, clean_nats
):
    linked = await intake.client.put(
        LINK, json={"mrn": "MRN-BEFORE-SAATHI", "mrn_authority": "kol-salt-lake"}
    )
    admission = factories.admission(mrn="MRN-BEFORE-SAATHI")
    episode = (await intake.client.post("/admissions", json=admission)).json()["episode"]

    assert linked.status_code == 200, linked.text
    await published(clean_nats, 2)
    [event] = await link_events(clean_nats)
    assert event["data"]["patient_ref"] == episode["patient_ref"]


async def test_identifiers_of_two_records_are_refused_and_nothing_is_sent(intake, clean_nats):
    one = factories.admission()
    other = factories.admission(abha="91444342934499")
    for body in (one, other):
        await intake.client.post("/admissions", json=body)

    response = await intake.client.put(
        LINK, json={"mrn": one["mrn"], "mrn_authority": "kol-salt-lake", "abha": other["abha"]}
    )
    empty = await intake.client.put(LINK, json={})
    no_authority = await intake.client.put(LINK, json={"mrn": one["mrn"]})

    assert response.status_code == 422 and "two different patient records" in response.text
    assert empty.status_code == 422 and "mrn or abha" in empty.text
    # The same MRN is another person at another branch: its issuer must be named.
    assert no_authority.status_code == 422 and "mrn_authority" in no_authority.text
    await intake.runtime.relay.drain()
    assert len(await stream_messages(clean_nats, "SAATHI_INTAKE")) == 2
    assert await link_events(clean_nats) == []


async def test_unlinking_is_announced_once_and_needs_a_link(intake, clean_nats):
    never = await intake.client.delete("/mentors/mn-nobody/patient-link")
    await intake.client.put(LINK, json={"mrn": "MRN-UNLINK", "mrn_authority": "kol-salt-lake"})

    first = await intake.client.delete(LINK)
    second = await intake.client.delete(LINK)

    assert never.status_code == 404
    assert first.json()["status"] == "unlinked" and first.json()["version"] == 2
    assert second.json() == first.json()
    await published(clean_nats, 2)
    await intake.runtime.relay.drain()
    found = await link_events(clean_nats)
    assert [e["subject"] for e in found] == ["intake.mentor.linked.v1", "intake.mentor.unlinked.v1"]
    assert found[0]["data"]["patient_ref"] == found[1]["data"]["patient_ref"]


async def test_only_a_coordinator_links_a_mentor(intake):
    for role in ("clinician", "mentor", "supervisor", "ehr_feed"):
        response = await intake.client.put(
            LINK,
            json={"mrn": "MRN-X", "mrn_authority": "kol-salt-lake"},
            headers=bearer(role, "kol-salt-lake"),
        )
        assert response.status_code == 403, role
