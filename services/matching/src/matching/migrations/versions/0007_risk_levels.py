"""Risk is low, medium or high: the former `standard` becomes `low` (it asked for nothing).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rename `standard` to `low`."""
    op.execute("UPDATE matching_episode_risk SET level = 'low' WHERE level = 'standard'")


def downgrade() -> None:
    """Back to two values: low and medium were both `standard` (no constraint) then."""
    op.execute(
        "UPDATE matching_episode_risk SET level = 'standard' WHERE level IN ('low', 'medium')"
    )
