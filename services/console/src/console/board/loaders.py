"""What each panel of the board fetches, with the coordinator's own token (the services scope
every answer to the coordinator's branch, or the network), shaped by `board.view`."""

import asyncio
from collections.abc import Awaitable
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from console.auth.session import Visitor
from console.board import view
from console.web.context import ConsoleContext
from console.web.upstream import UpstreamRefused

Row = dict[str, Any]
T = TypeVar("T")
MAX_CONSENT_CHECKS = 100
PARALLEL_CALLS = 8


class Board:
    """The board's reads for one coordinator, optionally narrowed to one branch."""

    def __init__(self, ctx: ConsoleContext, visitor: Visitor, branch: str | None) -> None:
        self.ctx = ctx
        self.visitor = visitor
        self.branch = visitor.branch or branch
        # Asked of the services only to narrow a network coordinator's board: the token
        # already keeps a branch coordinator to their branch (and to network-wide tasks).
        self.narrow = None if visitor.branch else branch
        self.zone = ZoneInfo(ctx.settings.branch_timezone)
        self._gate = asyncio.Semaphore(PARALLEL_CALLS)

    def today(self) -> date:
        """Today in the branches' zone."""
        return datetime.now(self.zone).date()

    async def _get(self, service: str, path: str, **params: Any) -> Any:
        async with self._gate:
            return await self.ctx.upstream.get(self.visitor, service, path, **params)

    async def _all(self, calls: list[Awaitable[T]]) -> list[T]:
        return list(await asyncio.gather(*calls))

    async def mentors(self) -> list[Row]:
        """The shared pool (every mentor; the board narrows it to a branch)."""
        rows: list[Row] = await self._get("matching", "/mentors", limit=1000)
        return rows

    async def awaiting_consent(self) -> list[Row]:
        """Admitted episodes whose patient has not been asked about peer support yet."""
        episodes = await self._get(
            "intake", "/episodes", status="admitted", branch=self.narrow, limit=1000
        )
        recent = sorted(episodes, key=lambda e: e["admitted_at"], reverse=True)
        recent = recent[:MAX_CONSENT_CHECKS]
        answered = await self._all([self._asked(e["episode_id"]) for e in recent])
        return [e for e, asked in zip(recent, answered, strict=True) if not asked]

    async def _asked(self, episode_id: str) -> bool:
        try:
            await self._get("intake", f"/episodes/{episode_id}/consent")
        except UpstreamRefused as refusal:
            if refusal.status == 404:
                return False
            raise
        return True

    async def proposals(self) -> list[Row]:
        """Proposed matches with their explanation tables."""
        rows = await self._get(
            "matching", "/matches", status="proposed", branch=self.narrow, limit=200
        )
        return view.proposal_rows(rows)

    async def waitlist(self) -> list[Row]:
        """Waiting patients with the reasons nobody fits."""
        entries = await self._get(
            "matching", "/waitlist", status="waiting", branch=self.narrow, limit=200
        )
        return view.waitlist_rows(entries, await self.mentors(), self.today())

    async def caseloads(self) -> list[Row]:
        """Mentors serving the branch: caseload, leave, certification."""
        return view.mentor_rows(await self.mentors(), self.branch, self.today())

    async def tasks(self) -> list[Row]:
        """Open coordinator tasks (proposals to review, coordinator tasks, outreach)."""
        found = await self._all(
            [
                self._get("notify", "/notifications", kind=kind, branch=self.narrow, limit=200)
                for kind in view.TASK_KINDS
            ]
        )
        return view.open_tasks(row for rows in found for row in rows)

    async def today_sessions(self) -> list[Row]:
        """Peer sessions scheduled for today (at the chosen branch)."""
        rows = await self._get("sessions", "/sessions", status="scheduled", limit=1000)
        if self.narrow:
            here = await self._get("matching", "/matches", branch=self.narrow, limit=1000)
            ids = {match["match_id"] for match in here}
            rows = [row for row in rows if row["match_id"] in ids]
        return view.todays_sessions(rows, self.today(), self.zone)

    async def today_groups(self) -> list[Row]:
        """Groups meeting today, each with today's meeting when one is planned."""
        today = self.today()
        groups = await self._get("sessions", "/groups", branch=self.narrow)
        meeting = [group for group in groups if view.meets_today(group, today)]
        found = await self._all(
            [self._get("sessions", f"/groups/{g['group_id']}/meetings") for g in meeting]
        )
        return [
            {**group, "meeting": view.todays_meeting(meetings, today, self.zone)}
            for group, meetings in zip(meeting, found, strict=True)
        ]

    async def schedule(self) -> Row:
        """Today's peer sessions and group meetings."""
        sessions, groups = await asyncio.gather(self.today_sessions(), self.today_groups())
        return {"sessions": sessions, "groups": groups}
