"""Alembic environment of the aftercare service: migrates only the tables aftercare owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from aftercare.models import TABLES
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
