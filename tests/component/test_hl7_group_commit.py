"""HL7 messages applied together in one group commit on a real database: unseen admissions are
written in bulk with a handful of statements, and a group gives the same answers and the same
state as the messages sent one by one (same patient twice, a resend inside the group, an
admission and a discharge of one visit, a concurrent writer that got there first)."""

import asyncio

from sqlalchemy import event, func, select, text

from intake.audit import AuditRecord
from intake.ehr import bulk
from intake.hl7.client import ack_code
from intake.hl7.ingest import Hl7Ingest
from shared.outbox import OutboxRecord


def adt(control: str, mrn: str, visit: str, trigger: str = "A01") -> bytes:
    """An ADT from the Salt Lake EHR (version 2.3.1, MRNs of KOL-SL)."""
    segments = [
        f"MSH|^~\\&|EHR|SALTLAKE|SAATHI|SAATHI-INTAKE|20260314093000+0530||ADT^{trigger}"
        f"|{control}|P|2.3.1",
        f"EVN|{trigger}|20260314093000+0530",
        f"PID|1||{mrn}^^^KOL-SL^MR||DAS^RINA||19950724|F",
        f"PV1|1|I|W1||||||||||||||||{visit}" + "|" * 25 + "20260314093000+0530",
    ]
    return "\r".join(segments).encode()


async def together(intake, *messages: bytes) -> list[list[str]]:
    """Hand the messages to intake at once: all are queued before the group is written."""
    ingest: Hl7Ingest = intake.app.state.hl7
    answers = await asyncio.gather(*(ingest.receive(raw, "127.0.0.1") for raw in messages))
    return [[ack_code(ack) for ack in acks] for acks in answers]


async def episodes(intake) -> list[dict]:
    return (await intake.client.get("/episodes")).json()


async def count(intake, model, *where) -> int:
    async with intake.runtime.sessionmaker() as session:
        query = select(func.count()).select_from(model).where(*where)
        return int(await session.scalar(query) or 0)


async def test_a_group_of_new_admissions_costs_a_few_statements_not_ten_per_message(intake):
    statements: list[str] = []
    engine = intake.runtime.engine.sync_engine

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        answers = await together(intake, *(adt(f"G{n}", f"M{n}", f"V{n}") for n in range(40)))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert answers == [["AA"]] * 40
    stored = await episodes(intake)
    assert len(stored) == 40 and len({e["patient_ref"] for e in stored}) == 40
    assert await count(intake, OutboxRecord) == 40  # one EpisodeAdmitted each
    writes = await count(intake, AuditRecord, AuditRecord.action == "write")
    assert writes == 40  # one per message in the trail
    reads_and_writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "SELECT"))
    ]
    assert len(reads_and_writes) <= 12, reads_and_writes


async def test_two_admissions_of_one_new_patient_in_one_group_are_one_patient(intake):
    answers = await together(intake, adt("P1", "SAME-1", "VA"), adt("P2", "SAME-1", "VB"))
    assert answers == [["AA"], ["AA"]]
    stored = await episodes(intake)
    assert len(stored) == 2 and len({e["patient_ref"] for e in stored}) == 1


async def test_a_resend_inside_one_group_is_applied_once_and_answered_alike(intake):
    ingest: Hl7Ingest = intake.app.state.hl7
    message = adt("DUP-1", "D-1", "VD")
    first, second = await asyncio.gather(
        ingest.receive(message, "127.0.0.1"), ingest.receive(message, "127.0.0.1")
    )
    assert first == second and ack_code(first[0]) == "AA"
    assert len(await episodes(intake)) == 1
    assert await count(intake, OutboxRecord) == 1


async def test_a_discharge_before_the_admission_in_one_group_keeps_the_order(intake):
    answers = await together(
        intake,
        adt("O1", "ORD-1", "VO", trigger="A03"),
        adt("O2", "ORD-1", "VO"),
        adt("O3", "N", "VN"),
    )
    assert answers == [["AA"], ["AA"], ["AA"]]
    by_patient = {e["status"] for e in await episodes(intake)}
    # The A03 opened the stay discharged; the late A01 changes nothing (as if sent one by one).
    assert by_patient == {"discharged", "admitted"}


async def test_a_writer_that_stored_the_identifier_first_wins_and_the_group_still_applies(
    intake, monkeypatch
):
    """Another intake (or the REST API) stored the patient after the group read: the bulk
    insert hits the key, and each message is applied on its own against what is there."""
    assert await together(intake, adt("R0", "RACE-1", "VR0")) == [["AA"]]

    async def read_before_the_other_writer(session, identifiers, visits, messages):
        return bulk.Seen(frozenset(), frozenset(), frozenset())

    monkeypatch.setattr(bulk, "seen", read_before_the_other_writer)
    answers = await together(intake, adt("R1", "RACE-1", "VR1"), adt("R2", "RACE-2", "VR2"))
    assert answers == [["AA"], ["AA"]]
    stored = await episodes(intake)
    assert len(stored) == 3
    assert len({e["patient_ref"] for e in stored}) == 2  # RACE-1 is still one patient
    async with intake.runtime.sessionmaker() as session:
        owners = await session.scalar(
            text("SELECT count(*) FROM intake_patient_identifier WHERE value = 'RACE-1'")
        )
    assert owners == 1
