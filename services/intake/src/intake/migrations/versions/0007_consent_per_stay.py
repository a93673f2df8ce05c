"""Consent belongs to a stay: a patient's consent is copied to each of their episodes (so what
was in force for a stay stays in force), then the per-patient table goes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = "status, text_version, text_language, recorded_by, recorded_at, version"


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "intake_stay_consent",
        sa.Column("episode_id", _text(40), nullable=False),
        sa.Column("patient_ref", _text(40), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("text_version", _text(32), nullable=False),
        sa.Column("text_language", _text(16), nullable=False),
        sa.Column("recorded_by", _text(200), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("carried_over_from", _text(40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["episode_id"], ["intake_episode.episode_id"]),
        sa.ForeignKeyConstraint(["patient_ref"], ["intake_patient.patient_ref"]),
        sa.PrimaryKeyConstraint("episode_id"),
    )
    with op.batch_alter_table("intake_stay_consent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_stay_consent_patient_ref"), ["patient_ref"], unique=False
        )
    op.execute(
        "INSERT INTO intake_stay_consent (episode_id, patient_ref, carried_over_from, "
        f"{_TEXT_COLUMNS}) SELECT e.episode_id, e.patient_ref, NULL, "
        + ", ".join(f"c.{name}" for name in _TEXT_COLUMNS.split(", "))
        + " FROM intake_episode e JOIN intake_consent c ON c.patient_ref = e.patient_ref"
    )
    op.drop_table("intake_consent")


def downgrade() -> None:
    """Revert this revision: each patient keeps the answer of their latest recorded stay
    (a decline becomes a withdrawal, which v1 knew)."""
    op.create_table(
        "intake_consent",
        sa.Column("patient_ref", _text(40), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("text_version", _text(32), nullable=False),
        sa.Column("text_language", _text(16), nullable=False),
        sa.Column("recorded_by", _text(200), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["patient_ref"], ["intake_patient.patient_ref"]),
        sa.PrimaryKeyConstraint("patient_ref"),
    )
    op.execute(
        f"INSERT INTO intake_consent (patient_ref, {_TEXT_COLUMNS}) SELECT s.patient_ref, "
        "CASE s.status WHEN 'declined' THEN 'withdrawn' ELSE s.status END, s.text_version, "
        "s.text_language, s.recorded_by, s.recorded_at, s.version FROM intake_stay_consent s "
        "WHERE s.episode_id = (SELECT l.episode_id FROM intake_stay_consent l WHERE "
        "l.patient_ref = s.patient_ref ORDER BY l.recorded_at DESC, l.episode_id LIMIT 1)"
    )
    with op.batch_alter_table("intake_stay_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_stay_consent_patient_ref"))
    op.drop_table("intake_stay_consent")
