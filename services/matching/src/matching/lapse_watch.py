"""Mentors whose certification lapses with time step back on their own: checked periodically."""

import asyncio
import contextlib
import logging

from matching import domain
from matching.handlers import release_ineligible_mentors
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class LapseWatch:
    """Every `interval_s`, ends the matches of mentors who are no longer eligible (a core
    certification expired overnight) and matches their mentees again."""

    name = "lapse-watch"

    def __init__(self, runtime: ServiceRuntime, policy: domain.Policy, interval_s: float) -> None:
        self._runtime = runtime
        self._policy = policy
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.last_error: str | None = None

    async def start(self) -> None:
        """Run the periodic check in the background."""
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="matching-lapse-watch")

    async def stop(self) -> None:
        """Stop after the check in progress, if any."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def health(self) -> tuple[bool, str]:
        """Running, and whether the last check failed."""
        running = self._task is not None and not self._task.done()
        return running, self.last_error or ("running" if running else "stopped")

    async def check(self) -> int:
        """One check now; how many matches ended."""
        async with self._runtime.unit_of_work() as session:
            return await release_ineligible_mentors(session, self._policy)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                ended = await self.check()
                self.last_error = None
                if ended:
                    log.info("mentors no longer eligible stepped back", extra={"ended": ended})
            except Exception as error:  # a database blip must not stop the watch
                self.last_error = f"{type(error).__name__}"
                log.warning("lapse check failed: %s", self.last_error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval_s)
