"""The whole platform as separate processes on real NATS and real databases."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from helpers.backends import Databases
from saathi_stack.ports import free_port
from saathi_stack.stack import SERVICES, LocalStack, StackConfig


@pytest.fixture
async def stack(tmp_path: Path, dbs: Databases) -> AsyncIterator[LocalStack]:
    urls = {name: await dbs.url(name) for name in SERVICES}
    config = StackConfig(
        data_dir=tmp_path / "stack",
        nats_port=free_port(),
        ports={name: free_port() for name in SERVICES},
        database_url=urls.__getitem__,
        extra_env={
            f"{name.upper()}_{key}": value
            for name in SERVICES
            for key, value in {
                "RETRY_DELAY_S": "0.1",
                "ACK_WAIT_S": "3",
                "RELAY_INTERVAL_S": "0.1",
                "LOG_JSON": "false",
            }.items()
        },
    )
    running = LocalStack(config)
    running.start()
    try:
        yield running
    finally:
        running.stop()
