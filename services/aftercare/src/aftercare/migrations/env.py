"""Alembic environment of the aftercare service: migrates only the tables aftercare owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from aftercare import audit
from aftercare.alumni import models as alumni
from aftercare.enrolment import models as enrolment
from aftercare.follow_up import models as follow_up
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
TABLES = (
    *audit.TABLES,
    *enrolment.TABLES,
    *follow_up.TABLES,
    *alumni.TABLES,
    "outbox",
    "inbox",
)
run_env(SQLModel.metadata, TABLES)
