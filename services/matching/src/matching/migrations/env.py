"""Alembic environment of the matching service: migrates only the tables matching owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from matching.models import TABLES
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
