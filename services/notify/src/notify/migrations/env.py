"""Alembic environment of the notify service: migrates only the tables notify owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from notify import audit
from notify.alerts import models as alerts
from notify.deadletters import models as deadletters
from notify.delivery import models as delivery
from notify.people import models as people
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
TABLES = (
    *audit.TABLES,
    *people.TABLES,
    *alerts.TABLES,
    *delivery.TABLES,
    *deadletters.TABLES,
    "outbox",
    "inbox",
)
run_env(SQLModel.metadata, TABLES)
