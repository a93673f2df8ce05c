"""Matching keeps each episode's admission time, to measure the time from admission to match.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("matching_episode") as batch_op:
        batch_op.add_column(
            sa.Column("admitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("matching_episode") as batch_op:
        batch_op.drop_column("admitted_at")
