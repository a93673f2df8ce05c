"""announce every mentor already in the pool (matching.mentor.changed)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

from shared.contracts.matching import POOL_BRANCH, MentorChanged, MentorState
from shared.contracts.registry import encode

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

mentor = sa.table(
    "matching_mentor",
    sa.column("mentor_id", sa.String),
    sa.column("status", sa.String),
    sa.column("remote_ok", sa.Boolean),
    sa.column("certified_until", sa.Date),
    sa.column("crisis_certified_until", sa.Date),
    sa.column("supervisor_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime),
)
language = sa.table("matching_mentor_language", sa.column("mentor_id"), sa.column("language"))
branch = sa.table("matching_mentor_branch", sa.column("mentor_id"), sa.column("branch"))
outbox = sa.table(
    "outbox",
    sa.column("event_id", sa.String),
    sa.column("subject", sa.String),
    sa.column("payload", sa.LargeBinary),
    sa.column("headers", sa.String),
    sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime),
    sa.column("published_at", sqlmodel.sql.sqltypes.UTCDateTime),
)


def upgrade() -> None:
    """Stage a `matching.mentor.changed` event for every mentor registered before mentors were
    announced, so sessions learns the whole pool once (later changes announce themselves)."""
    bind = op.get_bind()
    languages: dict[str, list[str]] = {}
    for mentor_id, lang in bind.execute(sa.select(language.c.mentor_id, language.c.language)):
        languages.setdefault(mentor_id, []).append(lang)
    branches: dict[str, list[str]] = {}
    for mentor_id, place in bind.execute(sa.select(branch.c.mentor_id, branch.c.branch)):
        branches.setdefault(mentor_id, []).append(place)
    now = datetime.now(UTC)
    rows = []
    for row in bind.execute(sa.select(mentor)).mappings():
        state = MentorState(
            **{key: row[key] for key in row.keys() if key != "updated_at"},
            languages=sorted(languages.get(row["mentor_id"], [])),
            branches=sorted(branches.get(row["mentor_id"], [])),
            updated_at=row["updated_at"] or now,
        )
        event = MentorChanged.new(state, branch=POOL_BRANCH)
        rows.append(
            {
                "event_id": str(event.event_id),
                "subject": event.SUBJECT,
                "payload": encode(event),
                "headers": json.dumps({"Saathi-Correlation-Id": event.correlation_id}),
                "created_at": now,
                "published_at": None,
            }
        )
    if rows:
        op.bulk_insert(outbox, rows)


def downgrade() -> None:
    """Nothing to undo: the announcements are events already published, or about to be."""
