"""Alembic environment of the intake service: migrates only the tables intake owns."""

import shared.inbox
import shared.outbox
from shared.migrations import run_env
from sqlmodel import SQLModel

from intake.models import TABLES

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
