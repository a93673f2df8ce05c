"""Alembic environment of the matching service: migrates only the tables matching owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from matching import audit
from matching.matches import models as matches
from matching.patients import models as patients
from matching.pool import models as pool
from matching.waitlist import models as waitlist
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
TABLES = (*audit.TABLES, *pool.TABLES, *matches.TABLES, *waitlist.TABLES, *patients.TABLES)
run_env(SQLModel.metadata, (*TABLES, "outbox", "inbox"))
