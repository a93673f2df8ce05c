"""What the supervisor's panels read from the services, with the supervisor's own token (the
sessions service decides which mentors they oversee)."""

from datetime import UTC, datetime
from typing import Any

from console.auth.session import Visitor
from console.supervisor import view
from console.web.context import ConsoleContext
from console.web.upstream import UpstreamRefused


async def _profiles(
    ctx: ConsoleContext, visitor: Visitor, mentor_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The pool records of these mentors (a mentor matching no longer knows is left out)."""
    found = {}
    for mentor_id in mentor_ids:
        try:
            found[mentor_id] = await ctx.upstream.get(visitor, "matching", f"/mentors/{mentor_id}")
        except UpstreamRefused as refusal:
            if refusal.status != 404:
                raise
    return found


async def mentors(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    """The mentors the supervisor oversees, with their load, name and certification."""
    loads = await ctx.upstream.get(visitor, "sessions", f"/supervisors/{visitor.subject}/mentors")
    profiles = await _profiles(ctx, visitor, [load["mentor_id"] for load in loads])
    return view.mentor_rows(loads, profiles, datetime.now(UTC).date())


async def notes(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    """Every peer note of the supervisor's mentors still to be read."""
    rows = await mentors(ctx, visitor)
    found: list[dict[str, Any]] = []
    for row in rows:
        if row["notes_to_review"]:
            found += await ctx.upstream.get(
                visitor, "sessions", f"/mentors/{row['mentor_id']}/notes-to-review"
            )
    return view.notes_oldest_first(found, {row["mentor_id"]: row["name"] for row in rows})
