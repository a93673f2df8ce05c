"""Each service's Alembic migrations build exactly the schema its models describe."""

import asyncio

import pytest
from alembic import command

from shared.migrations import alembic_config


@pytest.mark.parametrize("service", ["intake", "matching", "sessions", "aftercare"])
async def test_migrations_match_the_models(service, dbs):
    config = alembic_config(service, await dbs.url(service))
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)  # raises if autogenerate finds a difference
