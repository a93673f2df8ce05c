"""One trace per admission: the intake request, its event and matching's match share a trace id."""

import json

from helpers import factories
from helpers.apps import FAST, running
from helpers.streams import messages_on, stream_messages
from helpers.waiting import wait_until
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def trace_id(traceparent: str) -> str:
    return traceparent.split("-")[1]


async def test_the_trace_follows_the_admission_into_matching(clean_nats, dbs):
    intake_settings = IntakeSettings(
        database_url=await dbs.url("intake"), nats_url=clean_nats, **FAST
    )
    matching_settings = MatchingSettings(
        database_url=await dbs.url("matching"), nats_url=clean_nats, **FAST
    )
    async with (
        running(create_intake, intake_settings) as intake,
        running(create_matching, matching_settings) as matching,
    ):
        await matching.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
        response = await intake.client.post(
            "/admissions",
            json=factories.admission(consent=factories.consent()),
            headers={"traceparent": f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"},
        )
        assert response.status_code == 201
        [made] = await wait_until(
            lambda: messages_on(clean_nats, "SAATHI_MATCHING", "matching.match."), what="match.made"
        )
    [admitted, consent] = await stream_messages(clean_nats, "SAATHI_INTAKE")
    assert trace_id(admitted.headers["traceparent"]) == CALLER_TRACE
    assert trace_id(consent.headers["traceparent"]) == CALLER_TRACE
    assert trace_id(made.headers["traceparent"]) == CALLER_TRACE
    assert json.loads(made.data)["data"]["episode_id"] == response.json()["episode"]["episode_id"]
