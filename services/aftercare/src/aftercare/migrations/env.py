"""Alembic environment of the aftercare service: migrates only the tables aftercare owns."""

import shared.inbox
import shared.outbox
from shared.migrations import run_env
from sqlmodel import SQLModel

from aftercare.models import TABLES

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(SQLModel.metadata, TABLES)
