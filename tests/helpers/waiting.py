"""Wait on a condition with a deadline (never sleep-and-hope)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_until(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool] = bool,
    *,
    timeout_s: float = 20.0,
    interval_s: float = 0.05,
    what: str = "condition",
) -> T:
    """Call `probe` until `accept(result)`; fail with the last result after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    result = await probe()
    while not accept(result):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout_s}s waiting for {what}; last: {result!r}"
            )
        await asyncio.sleep(interval_s)
        result = await probe()
    return result
