"""Branch, mentor and supervisor scoping in every service, on real JetStream and a real
database: records seeded at one branch, then every operation on them called from another branch
(404, nothing changed) and by the branch, mentor or supervisor they belong to (let through)."""

from datetime import UTC, datetime, timedelta
from functools import partial

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from helpers import events, factories
from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.groups import (
    BRANCH,
    SUPERVISOR,
    admitted_and_matched,
    announce,
    announce_groups,
    group_request,
    meeting_held,
    mentor,
    outpatient_group,
)
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.reach_checks import World, check_reach
from helpers.sessions import sessions_running
from helpers.waiting import wait_until
from intake.app import create_app as create_intake
from intake.config import IntakeSettings


async def test_intake_records_are_reached_only_from_their_branch(clean_nats, dbs: Databases):
    settings = IntakeSettings(database_url=await dbs.url("intake"), nats_url=clean_nats, **FAST)
    async with running(create_intake, settings) as service:
        admission = factories.admission(consent=factories.consent())  # the stay has an answer
        admitted = await service.client.post("/admissions", json=admission)
        episode = admitted.json()["episode"]
        world = World(
            branch=episode["branch"],
            patient_ref=episode["patient_ref"],
            ids={
                "episode_id": episode["episode_id"],
                "encounter_id": episode["episode_id"],
                "patient_ref": episode["patient_ref"],
                "mentor_id": "mn_own",
            },
            bodies={
                "POST /episodes/{episode_id}/discharge": {"disposition": "home"},
                "PUT /mentors/{mentor_id}/patient-link": {
                    "mrn": admission["mrn"],
                    "mrn_authority": admission["branch"],
                },
                "POST /episodes/{episode_id}/transfer": {"branch": BRANCH, "ward": "W-2"},
                "PUT /patients/{patient_ref}/consent": factories.consent(),
                "PUT /episodes/{episode_id}/consent": factories.consent("declined"),
            },
            # The mentor pool is the network's: a coordinator anywhere links a mentor, and
            # the answer never names the patient record the identifiers found.
            shared={
                "PUT /mentors/{mentor_id}/patient-link",
                "DELETE /mentors/{mentor_id}/patient-link",
            },
            unchecked={
                "PUT /fhir/Encounter/{encounter_id}": "the branch comes from the resource: "
                "another branch's feed gets 403 (test_fhir_api)",
            },
            lists_showing={"GET /episodes"},
        )
        wrong = await check_reach(service, "intake", world)
    assert not wrong, "\n".join(wrong)


async def test_matching_records_are_reached_only_by_their_branch_mentor_and_supervisor(
    clean_nats, dbs: Databases
):
    async with matching_running(clean_nats, dbs) as service:
        await service.client.post(
            "/mentors", json=factories.mentor(mentor_id="mn_own", supervisor_id="sup_own")
        )
        async with Publisher(clean_nats) as publisher:
            stay = await admit_with_consent(publisher)
        [made] = await wait_until(
            lambda: matches(service, episode_id=stay.episode_id), what="a match"
        )
        await service.client.put(
            f"/patients/{stay.patient_ref}/preferences", json={"recorded_by": "coord-1"}
        )
        world = World(
            branch=stay.branch,
            patient_ref=stay.patient_ref,
            ids={
                "mentor_id": "mn_own",
                "match_id": made["match_id"],
                "patient_ref": stay.patient_ref,
                "episode_id": stay.episode_id,
            },
            mentor_id="mn_own",
            supervisor_id="sup_own",
            bodies={
                "PATCH /mentors/{mentor_id}": {"capacity": 4},
                "POST /matches/{match_id}/decline": None,
                "PUT /patients/{patient_ref}/preferences": {
                    "recorded_by": "coord-1",
                    "interests": ["music"],
                },
                "PUT /episodes/{episode_id}/risk": {"level": "standard"},
                "POST /mentors/{mentor_id}/conflicts": {"patient_ref": "pt_someone_else"},
                "POST /matches/{match_id}/reject": {"reason": "knows the family"},
            },
            shared={
                "GET /mentors/{mentor_id}",
                "PATCH /mentors/{mentor_id}",
                "POST /mentors/{mentor_id}/conflicts",
                "GET /mentors/{mentor_id}/conflicts",
            },
            open_to_people={"GET /mentors/{mentor_id} as supervisor"},
            unchecked={
                "POST /matches/{match_id}/decline": "a decline rematches the patient and ends "
                "the match the other checks use; declining from elsewhere is the same query as "
                "approve and reject, checked here",
            },
            lists_showing={"GET /matches"},
        )
        wrong = await check_reach(service, "matching", world)
    assert not wrong, "\n".join(wrong)


async def test_sessions_records_are_reached_only_by_their_branch_mentor_and_supervisor(
    clean_nats, dbs: Databases
):
    clock = FakeClock()
    async with sessions_running(clean_nats, dbs, clock) as service:
        client = service.client
        await announce(service, clean_nats, mentor("mn_1"))
        [stay] = await admitted_and_matched(service, clean_nats, 1)
        [intro] = (await client.get("/sessions", params={"patient_ref": stay.patient_ref})).json()
        match_id = intro["match_id"]
        chain = [
            {"person_id": "dr-1", "role": "clinician"},
            {"person_id": SUPERVISOR, "role": "supervisor"},
        ]
        await client.put(f"/duty-rosters/{BRANCH}", json={"chain": chain})
        crisis = (
            await client.post("/crises", json={"match_id": match_id, "severity": "moderate"})
        ).json()
        goal = (
            await client.post(
                "/goals", json={"match_id": match_id, "what": "walk daily", "why": "sleep"}
            )
        ).json()
        group = (await client.post("/groups", json=group_request(["mn_1"]))).json()
        await client.post(
            f"/groups/{group['group_id']}/enrolments", json={"patient_ref": stay.patient_ref}
        )
        [meeting, *_] = (await client.get(f"/groups/{group['group_id']}/meetings")).json()
        [questionnaire, *_] = (await client.get("/questionnaires")).json()
        answers = {item["item_id"]: 1 for item in questionnaire["items"]}
        soon = (clock.now() + timedelta(days=2)).isoformat()
        world = World(
            branch=BRANCH,
            patient_ref=stay.patient_ref,
            ids={
                "session_id": intro["session_id"],
                "mentor_id": "mn_1",
                "branch": BRANCH,
                "crisis_id": crisis["crisis_id"],
                "group_id": group["group_id"],
                "patient_ref": stay.patient_ref,
                "meeting_id": meeting["meeting_id"],
                "goal_id": goal["goal_id"],
                "questionnaire_id": questionnaire["questionnaire_id"],
                "supervisor_id": SUPERVISOR,
            },
            mentor_id="mn_1",
            supervisor_id=SUPERVISOR,
            bodies={
                "POST /sessions/{session_id}/complete": {
                    "attended": True,
                    "duration_minutes": 40,
                    "note": "talked",
                },
                "POST /sessions/{session_id}/reschedule": {"scheduled_for": soon},
                "POST /sessions/{session_id}/cancel": {"reason": "unwell"},
                "PUT /mentors/{mentor_id}/availability": {"slots": []},
                "PUT /duty-rosters/{branch}": {"chain": chain},
                "POST /crises/{crisis_id}/acknowledge": lambda who: {"person_id": who},
                "POST /crises/{crisis_id}/resolve": lambda who: {
                    "person_id": who,
                    "resolution": "safe",
                },
                "PATCH /groups/{group_id}": {"capacity": 9},
                "POST /groups/{group_id}/enrolments": {"patient_ref": stay.patient_ref},
                "POST /groups/{group_id}/enrolments/{patient_ref}/leave": {"reason": "moved"},
                "POST /group-meetings/{meeting_id}/attendance": {"attended": []},
                "POST /goals/{goal_id}/check-ins": {"progress": 30},
                "POST /goals/{goal_id}/close": {"status": "achieved"},
                "POST /questionnaires/{questionnaire_id}/responses": {
                    "match_id": match_id,
                    "answers": answers,
                },
                "POST /sessions/{session_id}/note-review": lambda who: {"supervisor_id": who},
                "POST /mentors/{mentor_id}/wellbeing-checks": {"score": 4},
            },
            shared={
                "PUT /mentors/{mentor_id}/availability",
                "GET /mentors/{mentor_id}/availability",
                "GET /mentors/{mentor_id}/prompts",
                "GET /mentors/{mentor_id}/group-meetings",
                "GET /mentors/{mentor_id}/load",
                "GET /supervisors/{supervisor_id}/mentors",
                "GET /mentors/{mentor_id}/notes-to-review",
                "POST /mentors/{mentor_id}/wellbeing-checks",
            },
            open_to_people={
                "GET /groups/{group_id}",
                "GET /groups/{group_id}/meetings",
                "GET /duty-rosters/{branch}",
            },
            unchecked={
                "POST /questionnaires/{questionnaire_id}/responses": "the path names a "
                "questionnaire, not a patient: the match in the body is checked (POST /goals "
                "shows the same check)",
            },
            lists_showing={"GET /sessions", "GET /crises", "GET /goals"},
        )
        wrong = await check_reach(service, "sessions", world)
    assert not wrong, "\n".join(wrong)


async def test_aftercare_records_are_reached_only_by_their_branch_and_mentor(
    clean_nats, dbs: Databases
):
    clock = FakeClock(datetime.now(UTC))
    settings = AftercareSettings(
        database_url=await dbs.url("aftercare"),
        nats_url=clean_nats,
        mentor_min_days_since_discharge=0,
        completion_meetings=1,
        **FAST,
    )
    async with running(partial(create_aftercare, clock=clock), settings) as service:
        client = service.client
        group = outpatient_group()
        await announce_groups(clean_nats, group)
        stay, waiting = events.episode(), events.episode(language="ta")
        async with Publisher(clean_nats) as publisher:
            for each in (stay, waiting):
                await publisher.event(events.admitted(each))
                await publisher.event(events.consent(each))
                await publisher.event(events.discharged(each))
            [enrolment] = await wait_until(
                lambda: _json(client, "/enrolments", episode_id=stay.episode_id),
                lambda rows: rows and rows[0]["status"] == "enrolled",
                what="enrolment",
            )
            await publisher.event(meeting_held(group.group_id, [stay.patient_ref]))
        await wait_until(
            lambda: _json(client, "/enrolments", episode_id=stay.episode_id),
            lambda rows: rows[0]["first_attended_at"] is not None,
            what="first attendance",
        )
        await client.post(f"/enrolments/{enrolment['enrolment_id']}/complete")
        [task, *_] = await wait_until(
            lambda: _json(client, "/tasks"), lambda rows: bool(rows), what="a task"
        )
        [follow_up, *_] = await _json(client, "/follow-ups", episode_id=stay.episode_id)
        clock.advance(days=1)  # the discharge was stamped after the clock was set
        opened = await client.post(
            f"/alumni/{stay.patient_ref}/mentor-candidacy",
            json={"source": "interest", "languages": ["bn"]},
        )
        assert opened.status_code == 201, opened.text
        candidate = opened.json()
        today = clock.now().date()
        world = World(
            branch=BRANCH,
            patient_ref=stay.patient_ref,
            ids={
                "group_id": group.group_id,
                "patient_ref": stay.patient_ref,
                "task_id": task["task_id"],
                "follow_up_id": follow_up["follow_up_id"],
                "enrolment_id": enrolment["enrolment_id"],
                "candidate_id": candidate["candidate_id"],
            },
            bodies={
                "PUT /patients/{patient_ref}/aftercare-wish": {"focus": []},
                "POST /tasks/{task_id}/done": {"outcome": "called"},
                "POST /follow-ups/{follow_up_id}/contacts": lambda who: {
                    "reached": False,
                    "channel": "phone",
                    "by": who,
                },
                "POST /enrolments/{enrolment_id}/drop-off": {"reason": "moved_away"},
                "POST /alumni/{patient_ref}/mentor-candidacy": {
                    "source": "interest",
                    "languages": ["bn"],
                },
                "POST /candidates/{candidate_id}/courses": {
                    "course": "ethics",
                    "completed_on": today.isoformat(),
                    "expires_on": (today + timedelta(days=365)).isoformat(),
                },
            },
            open_to_people={"GET /groups/{group_id}"},
            lists_showing={"GET /enrolments", "GET /follow-ups", "GET /alumni"},
        )
        wrong = await check_reach(service, "aftercare", world)
    assert not wrong, "\n".join(wrong)


async def _json(client, path: str, **params: str) -> list[dict]:
    rows: list[dict] = (await client.get(path, params=params)).json()
    return rows
