"""Alembic environment of the sessions service: migrates only the tables sessions owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from sessions.models import TABLES
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
