"""The audit trail: every read and write of patient data, append-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:38:11.075909
"""

from collections.abc import Sequence

from shared.migrations import create_audit_table, drop_audit_table

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    create_audit_table("intake_audit")


def downgrade() -> None:
    """Revert this revision."""
    drop_audit_table("intake_audit")
