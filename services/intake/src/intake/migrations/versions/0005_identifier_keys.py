"""Identifiers keyed by (assigning authority, type, value); ABHA numbers as 14 digits.

Existing rows: `mrn` → authority = the branch of the patient's first episode (upper case, what a
REST admission there or a one-branch HL7 sender now sends without an authority; `LEGACY` for a
patient without an episode), type `MR`; `abha` → `ABDM`/`ABHA` with 14 digits (or
`ABHA-ADDRESS`; a value that is neither stays findable as `LEGACY`/`ABHA-INVALID`);
`<authority>:<type>` (from HL7) → upper case, `-` read as not sent; a FHIR system URI → the URI
as authority, type `MR`. When two patients end up holding the same key, the older patient keeps
it, the other's row is left out and reported here (patient_refs only): merging two people is an
A40's decision, never a migration's.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:10:00.000000
"""

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
TABLE = "intake_patient_identifier"
INDEX = "ix_intake_patient_identifier_patient_ref"
LEGACY = "LEGACY"
Row = tuple[tuple[str, ...], str]  # (key columns, patient_ref)


def upgrade() -> None:
    """Re-key every identifier; collisions keep the older patient's row (logged)."""
    bind = op.get_bind()
    first_branch = _first_branches(bind)
    old = bind.execute(sa.text(f"SELECT system, value, patient_ref FROM {TABLE}")).all()
    rows = [(_new_key(system, value, first_branch.get(ref)), ref) for system, value, ref in old]
    kept = _one_owner_per_key(rows, _created(bind))
    _drop_table()
    _create_table(
        [
            sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
            sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
            sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        ],
        ["authority", "type", "value"],
        kept,
    )


def downgrade() -> None:
    """Back to (system, value): MR → `mrn`, ABHA → `abha`, others `<authority>:<type>`;
    keys that meet again keep the older patient's row."""
    bind = op.get_bind()
    old = bind.execute(sa.text(f"SELECT authority, type, value, patient_ref FROM {TABLE}")).all()
    rows = [(_old_key(authority, kind, value), ref) for authority, kind, value, ref in old]
    kept = _one_owner_per_key(rows, _created(bind))
    _drop_table()
    _create_table(
        [
            sa.Column("system", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        ],
        ["system", "value"],
        kept,
    )


def _new_key(system: str, value: str, branch: str | None) -> tuple[str, str, str]:
    if system == "mrn":
        return ((branch or LEGACY).upper(), "MR", value)
    if system == "abha":
        return _abha(value)
    if "://" in system or system.startswith("urn:"):
        return (system, "MR", value)
    authority, _, kind = system.rpartition(":")
    authority, kind = authority.strip("-").upper(), kind.strip("-").upper()
    if authority in ("ABHA", "NDHM", "ABDM") or kind == "ABHA":
        return _abha(value)
    return (authority or LEGACY, kind or "MR", value)


def _abha(value: str) -> tuple[str, str, str]:
    text = value.strip()
    if "@" in text:
        return ("ABDM", "ABHA-ADDRESS", text.lower())
    digits = re.sub(r"[\s-]+", "", text)
    if re.fullmatch(r"[0-9]{14}", digits):
        return ("ABDM", "ABHA", digits)
    return (LEGACY, "ABHA-INVALID", value)


def _old_key(authority: str, kind: str, value: str) -> tuple[str, str]:
    if kind == "MR" and not authority.startswith(("urn:", "http")):
        return ("mrn", value)
    if kind == "ABHA":
        return ("abha", value)
    if authority.startswith(("urn:", "http")):
        return (authority[:64], value)
    return (f"{authority}:{kind}".lower()[:64], value)


def _first_branches(bind: sa.Connection) -> dict[str, str]:
    """Each patient's branch of their first episode."""
    episodes = bind.execute(
        sa.text(
            "SELECT patient_ref, branch FROM intake_episode ORDER BY admitted_at DESC, episode_id"
        )
    )
    return dict(episodes.all())  # the earliest admission is written last, so it wins


def _created(bind: sa.Connection) -> dict[str, datetime]:
    return dict(bind.execute(sa.text("SELECT patient_ref, created_at FROM intake_patient")).all())


def _one_owner_per_key(rows: Iterable[Row], created: dict[str, datetime]) -> list[Row]:
    """One row per key: the oldest patient keeps it; the others are reported, not merged."""
    owners: dict[tuple[str, ...], str] = {}

    def oldest_first(row: Row) -> tuple[str, str]:
        return (str(created.get(row[1], "")), row[1])

    for key, ref in sorted(rows, key=oldest_first):
        owner = owners.setdefault(key, ref)
        if owner != ref:
            log.warning(
                "intake identifiers: %s and %s held the same %s identifier once written the "
                "same way; %s (the older) keeps it, %s's row is left out: merge them with an "
                "A40 if they are one person",
                owner,
                ref,
                key[-2] if len(key) == 3 else key[0],
                owner,
                ref,
            )
    return list(owners.items())


def _drop_table() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.drop_table(TABLE)


def _create_table(columns: list[sa.Column], key: list[str], rows: list[Row]) -> None:
    table = op.create_table(
        TABLE,
        *columns,
        sa.Column("patient_ref", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["patient_ref"], ["intake_patient.patient_ref"]),
        sa.PrimaryKeyConstraint(*key),
    )
    op.create_index(INDEX, TABLE, ["patient_ref"], unique=False)
    if rows and table is not None:
        op.bulk_insert(
            table, [dict(zip([*key, "patient_ref"], [*k, ref], strict=True)) for k, ref in rows]
        )
