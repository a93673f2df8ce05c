"""Alembic environment of the matching service: migrates only the tables matching owns."""

import shared.inbox
import shared.outbox
from shared.migrations import run_env
from sqlmodel import SQLModel

from matching.models import TABLES

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
