"""Review rules: which proposals a coordinator or supervisor may decide, and how a decision is
noted. Pure rules, no I/O."""

from datetime import datetime
from typing import Any

from matching.matches.domain import SUPERVISOR
from shared.errors import Conflict, Forbidden


def check_reviewable(
    status: str, awaiting: list[str], role: str, reviewer: str, supervisor_id: str | None
) -> None:
    """Refuse a review of a match that is not proposed, that awaits nobody in this role, or a
    sign-off by someone other than the mentor's supervisor."""
    if status != "proposed":
        raise Conflict(f"the match is {status}; only a proposed match can be reviewed")
    if role not in awaiting:
        awaited = ", ".join(awaiting)
        raise Conflict(f"no {role} review is awaited for this match (awaiting: {awaited})")
    if role == SUPERVISOR and reviewer != supervisor_id:
        raise Forbidden(f"only the mentor's supervisor ({supervisor_id}) may sign this match off")


def review_entry(reviewer_id: str, role: str, decision: str, at: datetime) -> dict[str, Any]:
    """One decision as the match's review history keeps it."""
    return {"by": reviewer_id, "role": role, "decision": decision, "at": at.isoformat()}
