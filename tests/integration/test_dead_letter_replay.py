"""Ops list dead letters and replay them once the cause is fixed; the replay applies once."""

import asyncio
import subprocess
import sys
from pathlib import Path

import nats

from helpers import events, factories
from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.waiting import wait_until
from matching.app import create_app
from matching.config import MatchingSettings
from matching.matches import reconcile as reconciling
from saathi_stack.nats_provision import provision
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import free_port
from shared.deadletters import CONSUMER, ORIGINAL_SUBJECT, REASON
from shared.streams import DEAD_LETTER_PREFIX


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saathi_stack.deadletters_cli", "--nats-url", url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_list_and_replay_after_the_bug_is_fixed(clean_nats, dbs, monkeypatch):
    settings = MatchingSettings(
        database_url=await dbs.url("matching"), nats_url=clean_nats, max_attempts=2, **FAST
    )
    real = reconciling.reconcile
    broken = {"on": True}

    async def buggy(*args, **kwargs):
        if broken["on"]:
            raise RuntimeError("bug")
        return await real(*args, **kwargs)

    monkeypatch.setattr(reconciling, "reconcile", buggy)
    async with running(create_app, settings) as service:
        await service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
        state = events.episode()
        async with Publisher(clean_nats) as publisher:
            await publisher.event(events.consent(state))
            await publisher.event(events.admitted(state))

        def listed() -> str:
            return cli(clean_nats, "list").stdout

        async def listing() -> str:
            return listed()

        # The consent dead-letters; the admission alone needs no reconcile (no consent yet).
        table = await wait_until(
            listing, lambda out: "intake.consent.changed.v2" in out, what="dead letter listed"
        )
        assert "RuntimeError in handler" in table
        broken["on"] = False
        replayed = cli(clean_nats, "replay", "--all")
        assert replayed.returncode == 0, replayed.stdout + replayed.stderr

        async def matched():
            return (
                await service.client.get("/matches", params={"episode_id": state.episode_id})
            ).json()

        await wait_until(matched, lambda rows: len(rows) == 1, what="replayed event applied")
        assert "no dead letters" in listed()


def test_cli_says_what_to_do_when_nats_is_down():
    result = cli("nats://127.0.0.1:1", "list")
    assert result.returncode == 2
    assert "is the stack running" in result.stdout


async def test_the_documented_usage_lists_with_the_stack_ops_user_from_data_dir(tmp_path: Path):
    """`saathi-deadletters list --data-dir …` as the README writes it, through the installed
    command, against a NATS that admits only the stack's users."""
    data_dir = tmp_path / "var"
    users = NatsUsers.ensure(data_dir / "nats-auth")
    server = EmbeddedNats(free_port(), tmp_path / "store", config_file=users.config_path)
    server.start()
    try:
        await provision(users.ops_url(server.url))
        ops = await nats.connect(users.ops_url(server.url))
        headers = {CONSUMER: "matching-episodes", ORIGINAL_SUBJECT: "intake.x.v1", REASON: "bug"}
        await ops.jetstream().publish(
            f"{DEAD_LETTER_PREFIX}.matching-episodes", b"{}", headers=headers
        )
        await ops.close()
        command = str(Path(sys.executable).parent / "saathi-deadletters")
        runs = [
            [command, "list", "--data-dir", str(data_dir), "--nats-url", server.url],
            [command, "--data-dir", str(data_dir), "list", "--limit", "5"],
        ]
        env = {"SAATHI_NATS_URL": server.url, "PATH": str(Path(sys.executable).parent)}
        for argv in runs:
            result = await asyncio.to_thread(
                subprocess.run, argv, capture_output=True, text=True, timeout=60, env=env
            )
            assert result.returncode == 0, result.stderr
            assert "intake.x.v1" in result.stdout and "bug" in result.stdout
    finally:
        server.stop()
