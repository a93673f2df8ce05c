"""Component fixtures: a service in-process on a real database and a real NATS server."""

import pytest

from helpers.apps import FAST, running
from helpers.backends import Databases
from intake.app import create_app
from intake.config import IntakeSettings


@pytest.fixture
async def intake(clean_nats: str, dbs: Databases):
    settings = IntakeSettings(database_url=await dbs.url("intake"), nats_url=clean_nats, **FAST)
    async with running(create_app, settings) as service:
        yield service
