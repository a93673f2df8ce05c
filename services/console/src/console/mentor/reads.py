"""What the mentor's panels read from the services, with the mentor's own token (so the
services' reach decides: a mentor only ever gets their own mentees)."""

from datetime import UTC, datetime
from typing import Any

from console.auth.session import Visitor
from console.mentor import view
from console.web.context import ConsoleContext


async def mentees(ctx: ConsoleContext, visitor: Visitor) -> dict[str, Any]:
    """The mentor's active matches, and each one's crisis not yet resolved."""
    matches = await ctx.upstream.get(
        visitor, "matching", "/matches", mentor_id=visitor.subject, status="active", limit=200
    )
    crises = await ctx.upstream.get(
        visitor, "sessions", "/crises", mentor_id=visitor.subject, limit=200
    )
    return {"matches": matches, "crises": view.crises_by_match(crises)}


async def week(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    """This week's sessions of the mentor, and earlier ones still waiting to be logged."""
    rows = await ctx.upstream.get(
        visitor, "sessions", "/sessions", mentor_id=visitor.subject, limit=1000
    )
    return view.sessions_this_week(rows, datetime.now(UTC), ctx.settings.branch_timezone)


async def due(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    """Per mentee: open goals and the questionnaires due within a week."""
    now = datetime.now(UTC)
    matches = await ctx.upstream.get(
        visitor, "matching", "/matches", mentor_id=visitor.subject, status="active", limit=200
    )
    shipped = await ctx.upstream.get(visitor, "sessions", "/questionnaires")
    titles = {entry["questionnaire_id"]: entry["title"] for entry in shipped}
    found = []
    for match in matches:
        goals = await ctx.upstream.get(
            visitor, "sessions", "/goals", match_id=match["match_id"], limit=100
        )
        schedule = await ctx.upstream.get(
            visitor, "sessions", f"/patients/{match['patient_ref']}/questionnaires"
        )
        found.append(
            {
                "match": match,
                "goals": view.open_goals(goals, now),
                "questionnaires": view.questionnaires_due(schedule, now, titles),
            }
        )
    return found
