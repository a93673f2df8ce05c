"""Fixtures shared by all test layers: real NATS and real databases, fresh for each test."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from helpers.backends import Databases, databases, nats_server, reset_streams


@pytest.fixture
def nats_url(tmp_path: Path) -> Iterator[str]:
    """A NATS JetStream server for this test only (embedded unless told otherwise)."""
    with nats_server(tmp_path / "nats") as url:
        yield url


@pytest.fixture
async def clean_nats(nats_url: str) -> str:
    """The test's NATS URL with no Saathi streams in it."""
    await reset_streams(nats_url)
    return nats_url


@pytest.fixture
async def dbs(tmp_path: Path) -> AsyncIterator[Databases]:
    """Fresh databases per service (SQLite files, or PostgreSQL when a URL is given)."""
    async with databases(tmp_path) as handed_out:
        yield handed_out
