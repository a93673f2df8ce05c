"""The REST admissions batch on a real database and NATS: new patients are written in bulk
with their consent answers and announced like single admissions; a repeated batch changes
nothing; a patient twice in one batch is one patient; a bad item still refuses the batch."""

from sqlalchemy import event

from helpers import factories
from helpers.intake import published


async def batch(intake, admissions: list[dict]) -> list[dict]:
    response = await intake.client.post("/admissions/batch", json={"admissions": admissions})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_batch_of_new_patients_is_stored_and_announced_with_consent(intake, clean_nats):
    admissions = [factories.admission(consent=factories.consent("given")) for _ in range(5)]
    answers = await batch(intake, admissions)
    assert all(answer["created"] for answer in answers)
    assert [a["episode"]["version"] for a in answers] == [1] * 5
    subjects = [m.subject for m in await published(clean_nats, 10)]
    assert subjects.count("intake.episode.admitted.v1") == 5
    assert subjects.count("intake.consent.changed.v2") == 5
    for answer in answers:
        episode_id = answer["episode"]["episode_id"]
        consent = await intake.client.get(f"/episodes/{episode_id}/consent")
        assert consent.status_code == 200 and consent.json()["status"] == "given"

    again = await batch(intake, admissions)
    assert not any(answer["created"] for answer in again)
    assert [a["episode"]["episode_id"] for a in again] == [
        a["episode"]["episode_id"] for a in answers
    ]
    assert len((await intake.client.get("/episodes")).json()) == 5


async def test_one_patient_twice_in_a_batch_and_a_known_patient_are_one_patient_each(intake):
    known = factories.admission()
    [first] = await batch(intake, [known])
    readmitted = factories.admission(mrn=known["mrn"])
    twice = [factories.admission(mrn="MRN-TWICE"), factories.admission(mrn="MRN-TWICE")]
    answers = await batch(intake, [readmitted, *twice])
    refs = [answer["episode"]["patient_ref"] for answer in answers]
    assert refs[0] == first["episode"]["patient_ref"]
    assert refs[1] == refs[2] != refs[0]


async def test_an_unknown_consent_text_refuses_the_whole_batch_and_says_which(intake):
    bad = factories.admission(consent={**factories.consent(), "text_version": "v999"})
    response = await intake.client.post(
        "/admissions/batch", json={"admissions": [factories.admission(), bad]}
    )
    assert response.status_code == 422 and "admissions[1]" in response.json()["detail"]
    assert (await intake.client.get("/episodes")).json() == []


async def test_a_batch_of_a_hundred_new_patients_costs_a_few_statements(intake):
    statements: list[str] = []
    engine = intake.runtime.engine.sync_engine

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    admissions = [factories.admission(consent=factories.consent("given")) for _ in range(100)]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        answers = await batch(intake, admissions)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(answers) == 100 and all(answer["created"] for answer in answers)
    reads_and_writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "SELECT", "UPDATE"))
    ]
    # The read, four INSERTs (patients, identifiers, episodes, consents), the outbox and the
    # audit trail, and what authentication and the relay do around them.
    assert len(reads_and_writes) <= 12, reads_and_writes
