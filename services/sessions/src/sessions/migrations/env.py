"""Alembic environment of the sessions service: migrates only the tables sessions owns (each
feature's `models.TABLES`)."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from sessions import audit
from sessions.calendar import models as calendar
from sessions.crisis import models as crisis
from sessions.groups import models as groups
from sessions.projections import models as projections
from sessions.recovery import models as recovery
from sessions.supervision import models as supervision
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
FEATURES = (audit, calendar, projections, crisis, recovery, supervision, groups)
run_env(SQLModel.metadata, (*(t for f in FEATURES for t in f.TABLES), "outbox", "inbox"))
