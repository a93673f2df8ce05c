"""HL7 v2 over a real MLLP socket into intake on a real database and NATS: the committed
corpus gets the right ACKs and the right effects; resends and reordering stay deterministic."""

import asyncio
import json

import pytest
from sqlalchemy.exc import OperationalError

from helpers import factories
from helpers.auth import bearer
from helpers.hl7 import codes, corpus, send
from helpers.intake import mllp_port, published
from helpers.streams import stream_messages
from intake.hl7.client import MllpClient, ack_code

CORPUS_ACKS = {
    "a01_v231_crlf_zseg.hl7": ["AA"],
    "a04_v25_lf_his.hl7": ["AA"],
    "a01_v28_bengali_utf8_enhanced.hl7": ["CA", "AA"],
    "a01_v24_latin1_declared.hl7": ["AA"],
    "a01_v251_latin1_undeclared.hl7": ["AA"],
    "bad_missing_pid3.hl7": ["AE"],
    "bad_missing_pid3_v23.hl7": ["AE"],
    "bad_unknown_facility.hl7": ["AE"],
    "bad_admit_time.hl7": ["AE"],
    "bad_birth_date.hl7": ["AE"],
    "bad_missing_visit.hl7": ["AE"],
    "bad_unsupported_type.hl7": ["AR"],
    "bad_unsupported_trigger.hl7": ["AR"],
    "bad_old_version.hl7": ["AR"],
    "bad_unknown_sender.hl7": ["AR"],
    "bad_no_control_id.hl7": ["AR"],
    "bad_not_hl7.hl7": ["AR"],
}


@pytest.fixture
def port(intake) -> int:
    return mllp_port(intake.runtime)


async def episodes(intake, **params) -> list[dict]:
    return (await intake.client.get("/episodes", params=params)).json()


async def patient(intake, mrn: str, authority: str = "SAATHI") -> dict:
    params = {"authority": authority, "type": "MR", "value": mrn}
    response = await intake.client.get("/patients", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_ACKS.items()))
async def test_corpus_message_gets_the_right_acknowledgement(intake, port, name, expected):
    assert await codes(port, corpus(name)) == expected


async def test_refused_messages_change_nothing_and_say_why(intake, port, clean_nats):
    [ack] = await send(port, corpus("bad_missing_pid3.hl7"))
    assert "PID-3" in ack and "ERR||PID^1^3|101^" in ack
    [legacy] = await send(port, corpus("bad_missing_pid3_v23.hl7"))
    assert "\rERR|PID^1^3^101&" in legacy  # before 2.5 the error sits in ERR-1
    for name in CORPUS_ACKS:
        if name.startswith("bad_"):
            await send(port, corpus(name))
    assert await episodes(intake) == []
    await intake.runtime.relay.drain()
    assert await stream_messages(clean_nats, "SAATHI_INTAKE") == []


async def test_admission_over_mllp_is_stored_then_announced_without_identity(
    intake, port, clean_nats
):
    [ack] = await send(port, corpus("a01_v231_crlf_zseg.hl7"))
    assert ack_code(ack) == "AA" and "MSA|AA|SLK000101" in ack

    [episode] = await episodes(intake)
    assert (episode["branch"], episode["ward"], episode["language"]) == (
        "kol-salt-lake",
        "W3",
        "bn",
    )
    assert episode["admitted_at"].startswith("2026-03-14T04:00:00")
    person = await patient(intake, "MRN-C001")
    assert (person["family_name"], person["given_name"]) == ("Sen&Das", "Arpita")
    abha = {"authority": "ABDM", "type": "ABHA", "value": "91111122223333"}
    assert {**abha, "display": "91-1111-2222-3333"} in person["identifiers"]
    assert person["phone"] == "9830012345"

    [message] = await published(clean_nats, 1)
    for secret in (b"MRN-C001", b"Arpita", b"V-C001", b"9830012345", b"1111-2222"):
        assert secret not in message.data


@pytest.mark.parametrize(
    ("name", "mrn", "family", "given"),
    [
        ("a01_v28_bengali_utf8_enhanced.hl7", "MRN-C003", "চক্রবর্তী", "সুমিতা"),
        ("a01_v24_latin1_declared.hl7", "MRN-C004", "Müller", "José"),
        ("a01_v251_latin1_undeclared.hl7", "MRN-C005", "Ñúñez", "Zoë"),
    ],
)
async def test_non_ascii_names_are_kept_exactly(intake, port, name, mrn, family, given):
    assert (await codes(port, corpus(name)))[-1] == "AA"
    person = await patient(intake, mrn)
    assert (person["family_name"], person["given_name"]) == (family, given)


async def test_a_whole_stay_over_hl7(intake, port, clean_nats):
    for name in (
        "a01_v231_crlf_zseg.hl7",
        "a02_v25_ward.hl7",
        "a08_v25_language.hl7",
        "a03_v231_discharge.hl7",
        "a13_v25_cancel_discharge.hl7",
    ):
        assert await codes(port, corpus(name)) == ["AA"], name

    [episode] = await episodes(intake)
    assert (episode["status"], episode["ward"], episode["language"]) == ("admitted", "W5", "hi")
    assert (await patient(intake, "MRN-C001"))["phone"] == "9830099999"
    subjects = [m.subject.split(".")[2] for m in await published(clean_nats, 5)]
    assert subjects == ["admitted", "transferred", "updated", "discharged", "discharge_cancelled"]


async def test_a_move_to_another_branch_is_announced_as_such(intake, port, clean_nats):
    assert await codes(port, corpus("a04_v25_lf_his.hl7")) == ["AA"]
    assert await codes(port, corpus("a02_v25_branch_his.hl7")) == ["AA"]
    [episode] = await episodes(intake)
    assert (episode["branch"], episode["ward"]) == ("kol-behala", "W9")
    subjects = [m.subject for m in await published(clean_nats, 2)]
    assert subjects[-1] == "intake.episode.branch_transferred.v1"


async def test_discharge_before_admission_ends_discharged_and_the_late_admission_changes_nothing(
    intake, port, clean_nats
):
    assert await codes(port, corpus("a03_v231_discharge.hl7")) == ["AA"]
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    [episode] = await episodes(intake)
    assert episode["status"] == "discharged" and episode["version"] == 1
    [message] = await published(clean_nats, 1)
    assert message.subject == "intake.episode.discharged.v1"


async def test_cancel_admission_after_discharge_cancels_the_whole_stay(intake, port, clean_nats):
    for name in ("a01_v231_crlf_zseg.hl7", "a03_v231_discharge.hl7", "a11_v25_cancel_admit.hl7"):
        assert await codes(port, corpus(name)) == ["AA"]
    [episode] = await episodes(intake)
    assert episode["status"] == "cancelled"
    [ack] = await send(port, corpus("a13_v25_cancel_discharge.hl7"))
    assert ack_code(ack) == "AE" and "cancelled" in ack
    subjects = [m.subject.split(".")[2] for m in await published(clean_nats, 3)]
    assert subjects == ["admitted", "discharged", "admission_cancelled"]


async def test_readmission_at_another_branch_is_the_same_patient(intake, port):
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    elsewhere = corpus("a01_v28_bengali_utf8_enhanced.hl7").replace(b"MRN-C003", b"MRN-C001")
    assert await codes(port, elsewhere) == ["CA", "AA"]
    one, two = await episodes(intake)
    assert one["patient_ref"] == two["patient_ref"]
    assert {one["branch"], two["branch"]} == {"kol-salt-lake", "kol-behala"}


async def test_merge_rekeys_episodes_and_tells_the_other_services(intake, port, clean_nats):
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    assert await codes(port, corpus("a01_v25_duplicate_registration.hl7")) == ["AA"]
    survivor = await patient(intake, "MRN-C001")
    assert (await patient(intake, "MRN-C006"))["patient_ref"] != survivor["patient_ref"]

    assert await codes(port, corpus("a40_v25_merge.hl7")) == ["AA"]
    assert await codes(port, corpus("a40_v25_merge.hl7")) == ["AA"]  # a resend: same answer

    assert (await patient(intake, "MRN-C006"))["patient_ref"] == survivor["patient_ref"]
    assert {e["patient_ref"] for e in await episodes(intake)} == {survivor["patient_ref"]}
    messages = await published(clean_nats, 4)
    merged = [json.loads(m.data) for m in messages if m.subject == "intake.patient.merged.v1"]
    assert len(merged) == 1 and merged[0]["data"]["target_patient_ref"] == survivor["patient_ref"]
    assert [m.subject for m in messages].count("intake.episode.updated.v1") == 1


async def test_a_resend_after_an_ack_timeout_has_one_effect(intake, port, clean_nats):
    message = corpus("a01_v231_crlf_zseg.hl7")
    # The sender gives up waiting and drops the connection before reading the ACK ...
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\x0b" + message + b"\x1c\x0d")
    await writer.drain()
    writer.close()
    # ... then resends the same MSH-10, twice at once on two new connections.
    first, second = await asyncio.gather(send(port, message), send(port, message))
    third = await send(port, message)

    assert [ack_code(a) for a in first + second + third] == ["AA", "AA", "AA"]
    assert first == second == third  # the very same ACK, not a new one
    assert len(await episodes(intake)) == 1
    await intake.runtime.relay.drain()
    assert len(await stream_messages(clean_nats, "SAATHI_INTAKE")) == 1


async def test_many_connections_at_once(intake, port):
    template = corpus("a01_v231_crlf_zseg.hl7")

    async def sender(n: int) -> list[str]:
        async with MllpClient("127.0.0.1", port) as client:
            answers = []
            for i in range(5):
                tag = f"{n:02d}{i}".encode()
                raw = (
                    template.replace(b"SLK000101", b"SLK-" + tag)
                    .replace(b"MRN-C001", b"MRN-" + tag)
                    .replace(b"V-C001", b"V-" + tag)
                    .replace(b"91-1111-2222-3333", b"91-1111-2222-0" + tag)
                )
                answers += [ack_code(a) for a in await client.send(raw)]
            return answers

    results = await asyncio.gather(*(sender(n) for n in range(20)))
    assert all(codes_ == ["AA"] * 5 for codes_ in results)
    assert len(await episodes(intake, limit=1000)) == 100


async def test_enhanced_mode_sends_only_the_acknowledgements_asked_for(intake, port):
    base = corpus("a01_v28_bengali_utf8_enhanced.hl7")
    commit_only = base.replace(b"|AL|AL|IND|", b"|AL|NE|IND|")
    assert await codes(port, commit_only) == ["CA"]
    errors_only = (
        base.replace(b"|AL|AL|IND|", b"|ER|ER|IND|")
        .replace(b"BHL-9001", b"BHL-9002")
        .replace(b"^^^BHL|", b"^^^NOWHERE|")
    )
    # BEHALA has no facility map, so this still lands on its branch: a success sends nothing
    # for ER/ER; a content error (future birth date) sends only the application error.
    bad = errors_only.replace(b"|19770704|", b"|29990101|")
    assert await codes(port, bad) == ["AE"]


async def test_a_database_outage_is_never_acknowledged_as_accepted(intake, port, monkeypatch):
    def outage():
        raise OperationalError("BEGIN", {}, ConnectionError("database unreachable"))

    message = corpus("a01_v231_crlf_zseg.hl7")
    with monkeypatch.context() as patch:
        patch.setattr(intake.runtime, "unit_of_work", outage)
        [ack] = await send(port, message)
        enhanced = await send(port, corpus("a01_v28_bengali_utf8_enhanced.hl7"))
    assert ack_code(ack) == "AR" and "resend" in ack
    assert [ack_code(a) for a in enhanced] == ["CE"]
    assert await episodes(intake) == []

    [retry] = await send(port, message)  # the database is back: the resend is applied once
    assert ack_code(retry) == "AA"
    assert len(await episodes(intake)) == 1


async def test_ops_see_the_listener_in_readiness_and_ack_times_in_metrics(intake, port):
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    ready = (await intake.client.get("/readyz")).json()["checks"]["listener:mllp"]
    assert ready["ok"] and f"port {port}" in ready["detail"]
    metrics = (await intake.client.get("/metrics")).text
    assert "saathi_hl7_ack_seconds_count" in metrics
    assert 'saathi_hl7_messages_total{outcome="AA",trigger="A01"}' in metrics


async def test_what_the_ehr_writes_over_mllp_is_in_the_audit_trail(intake, port):
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    ref = (await patient(intake, "MRN-C001"))["patient_ref"]

    trail = await intake.client.get(
        "/audit", params={"patient_ref": ref}, headers=bearer("privacy_officer")
    )

    [row] = [r for r in trail.json() if r["role"] == "ehr_feed"]
    assert (row["action"], row["operation"], row["purpose"]) == ("write", "HL7 ADT^A01", "ehr_sync")
    assert row["record"].startswith("MSH-10 ") and row["outcome"] == "AA"
    assert row["subject"]  # the sending application and facility


async def test_a_merge_moves_each_stays_consent_with_its_stay_and_invents_no_answer(
    intake, port, clean_nats
):
    assert await codes(port, corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]
    assert await codes(port, corpus("a01_v25_duplicate_registration.hl7")) == ["AA"]
    survivor = (await patient(intake, "MRN-C001"))["patient_ref"]
    duplicate = (await patient(intake, "MRN-C006"))["patient_ref"]
    answers = {survivor: factories.consent("given"), duplicate: factories.consent("declined")}
    for ref, answer in answers.items():
        response = await intake.client.put(f"/patients/{ref}/consent", json=answer)
        assert response.status_code == 200, response.text
    before = {e["episode_id"]: e["patient_ref"] for e in await episodes(intake)}

    assert await codes(port, corpus("a40_v25_merge.hl7")) == ["AA"]

    kept = (await intake.client.get(f"/patients/{survivor}/consents")).json()
    assert {(a["episode_id"], a["status"], a["version"]) for a in kept} == {
        (episode_id, answers[ref]["status"], 1) for episode_id, ref in before.items()
    }
    assert all(a["patient_ref"] == survivor for a in kept)
    messages = await published(clean_nats, 6)
    assert [m.subject for m in messages].count("intake.consent.changed.v2") == 2
    gone = await intake.client.put(f"/patients/{duplicate}/consent", json=factories.consent())
    assert gone.status_code == 409 and "no stay" in gone.json()["detail"]
