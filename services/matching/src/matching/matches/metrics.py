"""Time from admission to a patient's first match, by branch (no patient in any label)."""

from datetime import UTC, datetime

from prometheus_client import Histogram
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches.models import Match
from shared.contracts.envelope import utcnow
from shared.db import after_commit

ADMISSION_TO_MATCH = Histogram(
    "saathi_admission_to_match_seconds",
    "From a stay's admission time (as the EHR gave it) to the commit of its first match "
    "(proposed or made); waiting for consent or a free mentor is included",
    ["branch"],
    buckets=(1, 5, 15, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400),
)


async def note_first_match(
    session: AsyncSession, episode_id: str, branch: str, admitted_at: datetime | None
) -> None:
    """Observe the stay's time to match once the match commits, if this is its first match
    (a stay matched again after a decline keeps its first figure)."""
    if admitted_at is None:
        return
    earlier = await session.scalar(
        select(col(Match.match_id)).where(col(Match.episode_id) == episode_id).limit(1)
    )
    if earlier is not None:
        return
    admitted = admitted_at if admitted_at.tzinfo else admitted_at.replace(tzinfo=UTC)
    waited = max(0.0, (utcnow() - admitted).total_seconds())
    after_commit(session, lambda: ADMISSION_TO_MATCH.labels(branch).observe(waited))
