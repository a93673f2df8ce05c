"""The supervisor's screen against the running platform: the supervisor sees the mentors they
oversee with their load, reads a peer note waiting for review, records a wellbeing check and
logs a supervision meeting; another supervisor sees neither the mentor nor the note."""

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all
from helpers import factories
from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


async def _note_to_review(api: httpx.AsyncClient, stack) -> dict:
    """A mentor supervised by `sup-mine` with a held session and its peer note, and another
    mentor supervised by `sup-other`."""
    for mentor_id, branch, supervisor in (
        ("m-mine", BRANCH, "sup-mine"),
        ("m-other", "kol-behala", "sup-other"),
    ):
        body = factories.mentor(
            mentor_id=mentor_id, branches=[branch], capacity=2, supervisor_id=supervisor
        )
        created = await api.post(f"{stack.url('matching')}/mentors", json=body)
        assert created.status_code == 201, created.text
    await admit_with_consent(api, stack, 1)
    sessions = stack.url("sessions")
    [introduction] = await wait_until(
        lambda: fetch_all(api, f"{sessions}/sessions", mentor_id="m-mine"),
        what="the introduction session",
    )
    held = {"attended": True, "duration_minutes": 30, "note": "Went well."}
    done = await api.post(f"{sessions}/sessions/{introduction['session_id']}/complete", json=held)
    assert done.is_success, done.text
    token = stack.issuer.mint("supervisor", None, "sup-mine")
    supervisor = {"Authorization": f"Bearer {token}"}
    await wait_until(  # sessions has heard from matching who supervises whom
        lambda: api.get(f"{sessions}/mentors/m-mine/notes-to-review", headers=supervisor),
        lambda answer: answer.status_code == 200 and answer.json() != [],
        what="sessions to know m-mine's supervisor",
    )
    return introduction


async def test_the_supervisor_sees_their_mentors_reads_a_note_and_checks_wellbeing(stack):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        introduction = await _note_to_review(api, stack)
        sessions = stack.url("sessions")
        session_id = introduction["session_id"]
        async with running_console(stack) as console:
            mine = console.client("supervisor", None, "sup-mine")
            page = await mine.get("/supervisor")
            assert page.status_code == 200 and page.text.count("<h1>") == 1
            mentors = await mine.get("/supervisor/mentors")
            assert 'data-mentor="m-mine"' in mentors.text
            assert 'data-mentor="m-other"' not in mentors.text
            notes = await mine.get("/supervisor/notes")
            assert f'data-session="{session_id}"' in notes.text and "Went well." in notes.text

            other = console.client("supervisor", None, "sup-other")
            assert 'data-mentor="m-other"' in (await other.get("/supervisor/mentors")).text
            assert "Went well." not in (await other.get("/supervisor/notes")).text
            refused = await other.post(f"/supervisor/notes/{session_id}/read")
            assert 'role="alert"' in refused.text

            read = await mine.post(f"/supervisor/notes/{session_id}/read")
            assert 'id="note-read"' in read.text and "Went well." not in read.text
            reviewed = (await api.get(f"{sessions}/sessions/{session_id}")).json()
            assert reviewed["note_reviewed_by"] == "sup-mine"

            check = {"mentor_id": "m-mine", "score": "2", "wants_support": "yes", "note": "tired"}
            recorded = await mine.post("/supervisor/wellbeing", data=check)
            assert 'id="wellbeing-recorded"' in recorded.text
            assert 'data-mentor="m-mine"' in recorded.text  # listed as needing support
            load = (await api.get(f"{sessions}/mentors/m-mine/load")).json()
            assert (load["latest_wellbeing"], load["wants_support"]) == (2, True)

            meeting = {"mentor_id": "m-mine", "minutes": "50", "notes": "caseload"}
            logged = await mine.post("/supervisor/meetings", data=meeting)
            assert 'id="meeting-logged"' in logged.text and 'role="alert"' not in logged.text

            mentor = console.client("mentor", None, "m-mine")
            assert (await mentor.get("/supervisor")).status_code == 403
