"""Replay HL7 files through intake's MLLP listener, in order, and tally the answers."""

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from intake.hl7.batch import split_messages
from intake.hl7.client import MllpClient, ack_code, msa_field
from intake.hl7.codec import raw_header_field

RETRIES = 3


@dataclass
class ReplaySummary:
    """ACK codes counted, refusal reasons counted, and where each refusal came from."""

    codes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # where, MSH-10, reason

    @property
    def all_accepted(self) -> bool:
        """True when every message got AA (or CA when no application ACK was asked for)."""
        return not self.refused


def load(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Every message of every file, labelled `file#n`, in file order."""
    found = []
    for path in paths:
        for number, message in enumerate(split_messages(path.read_bytes()), start=1):
            found.append((f"{path.name}#{number}", message))
    return found


def reason(ack: str) -> str:
    """MSA-3 (the text intake puts there for AE/AR)."""
    return msa_field(ack, 3)


def _transient(ack: str) -> bool:
    return ack_code(ack) in ("AR", "CE") and "resend" in reason(ack)


async def replay(
    messages: list[tuple[str, bytes]],
    host: str,
    port: int,
    timeout_s: float,
    advance: Callable[[], None],
) -> ReplaySummary:
    """Send each message and wait for its answer before the next, so order is kept.

    A timeout, a dropped connection or a "resend" answer is retried on a new connection:
    intake answers a repeated MSH-10 as before, so a retry never doubles an effect.
    """
    summary = ReplaySummary()
    client: MllpClient | None = None
    try:
        for where, raw in messages:
            for attempt in range(RETRIES + 1):
                try:
                    if client is None:
                        client = await MllpClient(host, port, timeout_s).connect()
                    acks = await client.send(raw)
                except (TimeoutError, ConnectionError, OSError):
                    if client is not None:
                        await client.close()
                    client = None
                    if attempt == RETRIES:
                        raise
                    await asyncio.sleep(0.5 * 2**attempt)
                    continue
                if not _transient(acks[-1]) or attempt == RETRIES:
                    break
                await asyncio.sleep(0.5 * 2**attempt)
            final = acks[-1]
            code = ack_code(final)
            summary.codes[code] += 1
            if code not in ("AA", "CA"):
                why = reason(final) or "(no reason given)"
                summary.reasons[f"{code}: {why}"] += 1
                control_id = raw_header_field(raw, 10).decode("ascii", "replace")
                summary.refused.append((where, control_id, why))
            advance()
    finally:
        if client is not None:
            await client.close()
    return summary
