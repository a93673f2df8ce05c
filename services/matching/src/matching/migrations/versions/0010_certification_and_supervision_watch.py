"""What was announced of mentors' certifications entering the notice window, and whether each
supervisor is over the supervision ratio.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "matching_certification_announced",
        sa.Column("mentor_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("announced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("mentor_id", "kind", "expires_on"),
    )
    op.create_table(
        "matching_supervision_watch",
        sa.Column("supervisor_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("over", sa.Boolean(), nullable=False),
        sa.Column("crossings", sa.Integer(), nullable=False),
        sa.Column("mentors", sa.Integer(), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("supervisor_id"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("matching_supervision_watch")
    op.drop_table("matching_certification_announced")
