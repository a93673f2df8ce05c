"""Alembic environment of the intake service: migrates only the tables intake owns."""

from sqlmodel import SQLModel

import shared.inbox
import shared.outbox
from intake.audit import TABLES as AUDIT_TABLES
from intake.consent.models import TABLES as CONSENT_TABLES
from intake.ehr.models import TABLES as EHR_TABLES
from intake.hl7.models import TABLES as HL7_TABLES
from intake.identity.models import TABLES as IDENTITY_TABLES
from intake.mentors.models import TABLES as MENTOR_TABLES
from shared.migrations import run_env

assert shared.inbox and shared.outbox  # their tables live in every service's database
run_env(
    SQLModel.metadata,
    (
        *AUDIT_TABLES,
        *IDENTITY_TABLES,
        *EHR_TABLES,
        *CONSENT_TABLES,
        *HL7_TABLES,
        *MENTOR_TABLES,
        "outbox",
        "inbox",
    ),
)
