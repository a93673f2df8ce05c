"""The audit trail: every read and write of patient data, append-only.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:38:15.037385
"""

from collections.abc import Sequence

from shared.migrations import create_audit_table, drop_audit_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    create_audit_table("aftercare_audit")


def downgrade() -> None:
    """Revert this revision."""
    drop_audit_table("aftercare_audit")
