"""Aftercare in-process on real JetStream: enrolment on discharge with nobody pressing a
button, in the best fitting outpatient group sessions announced, or the waitlist and a
coordinator's task; dispositions that rule enrolment out; the continuing mentor's group."""

from datetime import UTC, datetime, timedelta

import pytest

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from helpers import events
from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.groups import announce_groups, meeting_held, outpatient_group
from helpers.waiting import wait_until
from shared.contracts.intake import EpisodeDischargeCancelled
from shared.contracts.matching import MatchContinuationChanged, MatchContinuationState


@pytest.fixture
async def aftercare(clean_nats, dbs):
    settings = AftercareSettings(
        database_url=await dbs.url("aftercare"), nats_url=clean_nats, **FAST
    )
    async with running(create_app, settings) as service:
        yield service


async def enrolment_of(aftercare, episode_id):
    async def rows():
        return (await aftercare.client.get("/enrolments", params={"episode_id": episode_id})).json()

    return rows


async def known_groups(aftercare, nats_url, *states):
    """Announce the groups and wait until aftercare has them."""
    await announce_groups(nats_url, *states)
    for state in states:
        await wait_until(
            lambda s=state: aftercare.client.get(f"/groups/{s.group_id}"),
            lambda r, s=state: r.status_code == 200 and r.json()["status"] == s.status,
            what=f"group {state.group_id}",
        )


async def test_discharge_enrols_and_cancelled_discharge_frees_the_place(aftercare, clean_nats):
    group = outpatient_group(capacity=1)
    await known_groups(aftercare, clean_nats, group)
    state = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(state))
        discharge = events.discharged(state)
        await publisher.event(discharge)
        rows = await enrolment_of(aftercare, state.episode_id)
        [enrolled] = await wait_until(rows, what="enrolment")
        assert enrolled["status"] == "enrolled" and enrolled["group_id"] == group.group_id
        assert (await aftercare.client.get(f"/groups/{group.group_id}")).json()["enrolled"] == 1

        back = discharge.data.model_copy(
            update={"status": "admitted", "discharged_at": None, "version": 3}
        )
        await publisher.event(EpisodeDischargeCancelled.new(back, branch=state.branch))
        [cancelled] = await wait_until(
            rows, lambda r: r[0]["status"] == "cancelled", what="cancelled"
        )
    assert cancelled["reason"] == "discharge cancelled"
    assert (await aftercare.client.get(f"/groups/{group.group_id}")).json()["enrolled"] == 0


async def test_no_room_waitlists_with_a_task_until_a_group_opens(aftercare, clean_nats):
    state = events.episode(language="hi")
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(state))
        await publisher.event(events.discharged(state))
    rows = await enrolment_of(aftercare, state.episode_id)
    [waiting] = await wait_until(rows, what="waitlisted")
    assert waiting["status"] == "waitlisted" and waiting["group_id"] is None
    [task] = (await aftercare.client.get("/tasks", params={"branch": state.branch})).json()
    assert task["kind"] == "find_outpatient_group" and task["assignee_id"] is None

    opened = outpatient_group(language="hi")
    await known_groups(aftercare, clean_nats, opened)
    [enrolled] = await wait_until(rows, lambda r: r[0]["status"] == "enrolled", what="enrolled")
    assert enrolled["group_id"] == opened.group_id
    assert (await aftercare.client.get("/tasks", params={"branch": state.branch})).json() == []
    [done] = (await aftercare.client.get("/tasks", params={"status": "done"})).json()
    assert done["outcome"] == "enrolled"


async def test_without_consent_or_after_death_nobody_is_enrolled(aftercare, clean_nats):
    await known_groups(aftercare, clean_nats, outpatient_group())
    silent, died, marker = events.episode(), events.episode(), events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.discharged(silent))
        await publisher.event(events.consent(died))
        await publisher.event(events.discharged(died, disposition="20"))
        await publisher.event(events.consent(marker))
        await publisher.event(events.discharged(marker))
    await wait_until(await enrolment_of(aftercare, marker.episode_id), what="marker enrolled")
    assert await (await enrolment_of(aftercare, silent.episode_id))() == []
    assert await (await enrolment_of(aftercare, died.episode_id))() == []


async def test_the_nearest_group_to_home_and_the_continuing_mentors_group_come_first(
    aftercare, clean_nats
):
    near = outpatient_group(branch="kol-park-street", group_id="gr_near")
    far = outpatient_group(branch="kol-behala", group_id="gr_far")
    mentors = outpatient_group(branch="kol-behala", group_id="gr_mentor", facilitator_ids=["mn_k"])
    await known_groups(aftercare, clean_nats, near, far, mentors)
    moved, kept = events.episode(branch="kol-salt-lake"), events.episode(branch="kol-behala")
    async with Publisher(clean_nats) as publisher:
        for stay in (moved, kept):
            await publisher.event(events.consent(stay))
    wish = await aftercare.client.put(
        f"/patients/{moved.patient_ref}/aftercare-wish", json={"home_branch": "kol-park-street"}
    )
    unknown = await aftercare.client.put(
        f"/patients/{moved.patient_ref}/aftercare-wish", json={"home_branch": "kol-nowhere"}
    )
    assert wish.status_code == 200 and unknown.status_code == 422
    continuing = MatchContinuationState(
        version=2,
        match_id="mt_k",
        episode_id=kept.episode_id,
        patient_ref=kept.patient_ref,
        mentor_id="mn_k",
        branch=kept.branch,
        status="active",
        matched_at=datetime.now(UTC) - timedelta(days=9),
        continues_until=datetime.now(UTC) + timedelta(days=90),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.discharged(moved))
        await publisher.event(events.discharged(kept))
        # Matching says the match goes on after it saw the discharge: usually after enrolment.
        await publisher.event(MatchContinuationChanged.new(continuing, branch=kept.branch))

    [home] = await wait_until(await enrolment_of(aftercare, moved.episode_id), what="enrolled")
    [mentor] = await wait_until(
        await enrolment_of(aftercare, kept.episode_id),
        lambda r: r[0]["group_id"] == "gr_mentor",
        what="the mentor's group",
    )
    assert home["group_id"] == "gr_near"
    assert mentor["mentor_id"] == "mn_k" and mentor["status"] == "enrolled"
    assert (await aftercare.client.get("/groups/gr_far")).json()["enrolled"] == 0


async def test_a_closed_group_moves_its_patients_to_the_next_best(aftercare, clean_nats):
    first = outpatient_group(group_id="gr_first", capacity=5)
    second = outpatient_group(group_id="gr_second", capacity=5)
    await known_groups(aftercare, clean_nats, first)
    state = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(state))
        await publisher.event(events.discharged(state))
    rows = await enrolment_of(aftercare, state.episode_id)
    await wait_until(rows, what="enrolled")
    await known_groups(
        aftercare, clean_nats, second, first.model_copy(update={"status": "closed", "version": 2})
    )
    [moved] = await wait_until(rows, lambda r: r[0]["group_id"] == "gr_second", what="moved")
    assert moved["status"] == "enrolled"
    assert (await aftercare.client.get("/groups/gr_first")).json()["enrolled"] == 0


async def test_a_patient_who_came_to_their_group_stays_when_the_mentor_goes_on(
    aftercare, clean_nats
):
    await known_groups(
        aftercare,
        clean_nats,
        outpatient_group(group_id="gr_a"),
        outpatient_group(group_id="gr_m", facilitator_ids=["mn_k"]),
    )
    stay = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(stay))
        await publisher.event(events.discharged(stay))
        rows = await enrolment_of(aftercare, stay.episode_id)
        await wait_until(rows, what="enrolled")
        await publisher.event(meeting_held("gr_a", [stay.patient_ref]))
        await wait_until(rows, lambda r: r[0]["first_attended_at"], what="first attendance")
        continuing = MatchContinuationState(
            version=2,
            match_id="mt_came",
            episode_id=stay.episode_id,
            patient_ref=stay.patient_ref,
            mentor_id="mn_k",
            branch=stay.branch,
            status="active",
            matched_at=datetime.now(UTC) - timedelta(days=9),
            continues_until=datetime.now(UTC) + timedelta(days=90),
        )
        await publisher.event(MatchContinuationChanged.new(continuing, branch=stay.branch))

    [row] = await wait_until(rows, lambda r: r[0]["mentor_id"] == "mn_k", what="the mentor")
    assert row["group_id"] == "gr_a"
