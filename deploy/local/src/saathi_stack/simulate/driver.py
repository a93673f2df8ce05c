"""Replay a scenario through the running stack at a compressed clock, noting what was sent when.

"Compressed" means: each step is sent at real time `(step.at - scenario.start) / speed` after
the replay began, in order, carrying its simulated times (MSH-7, EVN-2, PV1-44/45, admitted_at)
as sent. The services' own clocks cannot be moved, so a match's `matched_at` is real time; the
journal records the real moment each consent, preference and leave took effect so the checks
compare like with like.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from intake.hl7.client import MllpClient, ack_code, msa_field
from saathi_stack.simulate import adapters
from saathi_stack.simulate.adapters import Target
from saathi_stack.simulate.model import Scenario, Step
from saathi_stack.simulate.rest_steps import send_rest


@dataclass
class Journal:
    """What the replay sent and when (real time) things took effect."""

    sent: int = 0
    refused: list[str] = field(default_factory=list)
    consent_at: dict[str, datetime] = field(default_factory=dict)  # stay → first "given"
    preferences_at: dict[str, datetime] = field(default_factory=dict)  # stay → recorded
    unavailable: dict[str, list[tuple[datetime, datetime | None]]] = field(default_factory=dict)
    patient_refs: dict[str, str] = field(default_factory=dict)  # stay → as looked up
    episodes: dict[str, str] = field(default_factory=dict)  # REST stay → episode_id
    linked_mentors: set[str] = field(default_factory=set)


class Driver:
    """Sends a scenario's steps in order over MLLP and REST."""

    def __init__(self, scenario: Scenario, target: Target, client: httpx.AsyncClient) -> None:
        self.scenario, self.target, self.client = scenario, target, client
        self.journal = Journal()
        self._mllp: MllpClient | None = None
        self._background: set[asyncio.Task[None]] = set()

    async def setup(self) -> None:
        """Register the mentor pool and link alumni to their own identity."""
        for mentor in self.scenario.mentors.values():
            made = await self.client.post(
                f"{self.target.urls['matching']}/mentors", json=adapters.mentor_body(mentor)
            )
            if made.status_code not in (200, 201, 409):
                made.raise_for_status()

    async def link_alumni(self) -> None:
        """A coordinator links each alumnus mentor to their patient record (where possible)."""
        for mentor in self.scenario.mentors.values():
            if mentor.person is None:
                continue
            person = self.scenario.people[mentor.person]
            record = next(iter(person.records.values()), None)
            if record and await adapters.link_mentor(
                self.client, self.target, mentor.mentor_id, record, person.abha
            ):
                self.journal.linked_mentors.add(mentor.mentor_id)

    async def run(self, speed: float, advance: Callable[[], None] = lambda: None) -> Journal:
        """Send every step at its compressed moment (speed 0: as fast as answers come)."""
        began = time.monotonic()
        try:
            for step in self.scenario.steps:
                if speed > 0:
                    due = began + (step.at - self.scenario.start).total_seconds() / speed
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                await self._send(step)
                self.journal.sent += 1
                advance()
            if self._background:
                await asyncio.gather(*self._background)
        finally:
            if self._mllp is not None:
                await self._mllp.close()
        return self.journal

    async def _send(self, step: Step) -> None:
        what = f"{step.stay or step.mentor} {step.trigger or step.kind}"
        try:
            if step.kind == "hl7":
                code, why = await self._hl7(step.hl7)
                if code not in ("AA", "CA"):
                    self.journal.refused.append(f"{what}: {code} {why}")
                return
            response = await self._rest(step)
        except (httpx.HTTPError, OSError, TimeoutError) as error:
            self.journal.refused.append(f"{what}: {type(error).__name__}")
            return
        if response is not None and not response.is_success:
            self.journal.refused.append(
                f"{what}: HTTP {response.status_code} {response.text[:120]}"
            )

    async def _hl7(self, raw: bytes) -> tuple[str, str]:
        """Send on the open connection, once more on a new one if it broke (intake answers a
        resent MSH-10 as before, so a retry never doubles an effect); MSA-1 and MSA-3."""
        try:
            acks = await self._send_on_connection(raw)
        except (OSError, TimeoutError):
            if self._mllp is not None:
                await self._mllp.close()
            self._mllp = None
            acks = await self._send_on_connection(raw)
        return ack_code(acks[-1]), msa_field(acks[-1], 3)

    async def _send_on_connection(self, raw: bytes) -> list[str]:
        if self._mllp is None:
            address = (self.target.mllp_host, self.target.mllp_port)
            self._mllp = await MllpClient(*address, timeout_s=30).connect()
        return await self._mllp.send(raw)

    async def _rest(self, step: Step) -> httpx.Response | None:
        return await send_rest(self, step)

    def later(self, task: asyncio.Task[None]) -> None:
        """Keep a background step (waited for before the replay ends)."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)
