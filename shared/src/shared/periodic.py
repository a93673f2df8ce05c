"""A unit of work run every few seconds or hours in the background (durable timers, checks
that depend on the clock): a `Listener`, so /readyz shows it and shutdown waits for it."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

Job = Callable[[AsyncSession], Awaitable[int]]


class PeriodicJob:
    """Every `interval_s`, runs `job` in one transaction (its state and outgoing events commit
    together); `job` returns how many things it did. Its state lives in the database, so a
    restart or another replica picks up where this one stopped."""

    def __init__(
        self, name: str, runtime: ServiceRuntime, job: Job, interval_s: float, did: str
    ) -> None:
        self.name = name
        self._runtime = runtime
        self._job = job
        self._interval_s = interval_s
        self._did = did
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.last_error: str | None = None

    async def start(self) -> None:
        """Run the job periodically in the background."""
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Stop after the run in progress, if any."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def health(self) -> tuple[bool, str]:
        """Running, and whether the last run failed."""
        running = self._task is not None and not self._task.done()
        return running, self.last_error or ("running" if running else "stopped")

    async def check(self) -> int:
        """One run now; how many things it did."""
        async with self._runtime.unit_of_work() as session:
            return await self._job(session)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                done = await self.check()
                self.last_error = None
                if done:
                    log.info("%s: %s", self.name, self._did, extra={"count": done})
            except Exception as error:  # a database blip must not stop the job
                self.last_error = f"{type(error).__name__}"
                log.warning("%s failed: %s", self.name, self.last_error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval_s)
