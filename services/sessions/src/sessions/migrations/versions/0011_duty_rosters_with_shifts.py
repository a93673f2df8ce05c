"""Duty rosters with shifts: a roster is a time zone and shifts, each with its chain; a roster
that was one chain becomes one shift at all hours. A crisis notes the level at which its current
chain (the shift on duty then) took over.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZONE = "Asia/Kolkata"  # SESSIONS_BRANCH_TIMEZONE's default: the zone rosters were kept in
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ROSTERS = sa.table(
    "sessions_duty_roster",
    sa.column("branch", sa.String),
    sa.column("chain", sa.JSON),
    sa.column("time_zone", sa.String),
    sa.column("shifts", sa.JSON),
)


def _all_hours(chain: object) -> list[dict[str, object]]:
    chain = json.loads(chain) if isinstance(chain, str) else chain
    return [
        {"name": "all hours", "days": ALL_DAYS, "starts": "00:00", "ends": "00:00", "chain": chain}
    ]


def upgrade() -> None:
    """Apply this revision: each roster's chain becomes one shift at all hours."""
    with op.batch_alter_table("sessions_duty_roster", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("shifts", sa.JSON(), nullable=True))
    connection = op.get_bind()
    for branch, chain in connection.execute(sa.select(ROSTERS.c.branch, ROSTERS.c.chain)).all():
        connection.execute(
            ROSTERS.update()
            .where(ROSTERS.c.branch == branch)
            .values(time_zone=ZONE, shifts=_all_hours(chain))
        )
    with op.batch_alter_table("sessions_duty_roster", schema=None) as batch_op:
        batch_op.alter_column("time_zone", nullable=False)
        batch_op.alter_column("shifts", nullable=False)
        batch_op.drop_column("chain")
    with op.batch_alter_table("sessions_crisis", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("chain_level", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Revert this revision: each roster keeps the chain of its first shift."""
    with op.batch_alter_table("sessions_crisis", schema=None) as batch_op:
        batch_op.drop_column("chain_level")
    with op.batch_alter_table("sessions_duty_roster", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", sa.JSON(), nullable=True))
    connection = op.get_bind()
    for branch, shifts in connection.execute(sa.select(ROSTERS.c.branch, ROSTERS.c.shifts)).all():
        shifts = json.loads(shifts) if isinstance(shifts, str) else shifts
        connection.execute(
            ROSTERS.update().where(ROSTERS.c.branch == branch).values(chain=shifts[0]["chain"])
        )
    with op.batch_alter_table("sessions_duty_roster", schema=None) as batch_op:
        batch_op.alter_column("chain", nullable=False)
        batch_op.drop_column("shifts")
        batch_op.drop_column("time_zone")
