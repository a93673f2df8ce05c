"""The console's live feed over real HTTP: a person who has the stream open sees a crisis
notification created after they connected, without asking again, and only their own."""

import asyncio
import contextlib
import json

import httpx
import uvicorn

from helpers.apps import FAST
from helpers.auth import bearer
from helpers.events import Publisher
from helpers.notify import BRANCH, crisis, notify_app, person
from helpers.waiting import wait_until
from notify.config import NotifySettings
from saathi_stack.ports import free_port
from shared.contracts.sessions import CrisisFlagged


async def read_events(response: httpx.Response, into: list[dict]) -> None:
    async for line in response.aiter_lines():
        if line.startswith("data: "):
            into.append(json.loads(line.removeprefix("data: ")))


async def test_an_open_stream_receives_the_callers_new_notification(clean_nats, dbs):
    port = free_port()
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        http_port=port,
        stream_poll_s=0.2,
        delivery_interval_s=3600,
        **FAST,
    )
    app = notify_app()(settings)
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    base = f"http://127.0.0.1:{port}"
    seen: list[dict] = []
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await wait_until(lambda: ready(client), what="notify serving")
            for person_id in ("dr_duty", "dr_other"):
                body = person(["clinician"])
                answer = await client.put(f"/people/{person_id}", json=body, headers=bearer())
                assert answer.status_code == 200
            mine = bearer("clinician", BRANCH, subject="dr_duty")
            async with client.stream("GET", "/notifications/stream", headers=mine) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                reader = asyncio.create_task(read_events(response, seen))
                async with Publisher(clean_nats) as publisher:
                    await publisher.event(CrisisFlagged.new(crisis("dr_other"), branch=BRANCH))
                    await publisher.event(CrisisFlagged.new(crisis("dr_duty"), branch=BRANCH))
                await wait_until(lambda: as_list(seen), what="the crisis on the live feed")
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
    finally:
        server.should_exit = True
        await serving

    assert [(row["person_id"], row["kind"]) for row in seen] == [("dr_duty", "crisis")]


async def ready(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def as_list(rows: list[dict]) -> list[dict]:
    return list(rows)
