"""Consent belongs to a stay: the per-patient consent projection becomes one per episode.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

from shared.migrations import consent_to_patients, consent_to_stays

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    consent_to_stays("matching")


def downgrade() -> None:
    """Revert this revision."""
    consent_to_patients("matching")
