"""Alembic environment of the intake service: migrates only the tables intake owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from intake.mentors.models import TABLES as MENTOR_TABLES
from intake.models import TABLES
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, (*TABLES, *MENTOR_TABLES))
