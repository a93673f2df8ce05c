"""Live console view of the flow: events per service and the latest matches and enrolments."""

import json
from collections import Counter, deque
from datetime import datetime

import nats
from nats.aio.msg import Msg
from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from saathi_stack.ehr_feed import FeedStats

SERVICES = ("intake", "matching", "sessions", "aftercare", "notify", "deadletter")


class FlowView:
    """Counts events as they pass on NATS (no PHI travels there) and renders a view."""

    def __init__(self, urls: dict[str, str], feed: FeedStats | None) -> None:
        self._urls = urls
        self._feed = feed
        self.counts: Counter[tuple[str, str]] = Counter()
        self.matches: deque[tuple[str, str, str, str]] = deque(maxlen=6)
        self.enrolments: deque[tuple[str, str, str, str]] = deque(maxlen=6)
        self._connection: nats.NATS | None = None

    async def start(self, nats_url: str) -> None:
        """Subscribe to every Saathi subject."""
        self._connection = await nats.connect(nats_url)
        for service in SERVICES:
            await self._connection.subscribe(f"{service}.>", cb=self._on_message)

    async def stop(self) -> None:
        """Unsubscribe."""
        if self._connection is not None:
            await self._connection.close()

    async def _on_message(self, msg: Msg) -> None:
        service, _, rest = msg.subject.partition(".")
        event = "dead letters" if service == "deadletter" else rest.rsplit(".", 1)[0]
        self.counts[(service, event)] += 1
        if not msg.subject.startswith(("matching.match.made", "aftercare.enrolment")):
            return
        data = json.loads(msg.data).get("data", {})
        when = datetime.now().strftime("%H:%M:%S")
        if msg.subject.startswith("matching"):
            self.matches.appendleft(
                (
                    when,
                    data.get("patient_ref", "?"),
                    data.get("mentor_id", "?"),
                    data.get("branch", "?"),
                )
            )
        else:
            self.enrolments.appendleft(
                (
                    when,
                    data.get("patient_ref", "?"),
                    data.get("status", "?"),
                    data.get("group_id") or "-",
                )
            )

    def render(self) -> Group:
        """The whole view."""
        events = Table(title="events on NATS JetStream")
        events.add_column("service")
        events.add_column("event")
        events.add_column("count", justify="right")
        for (service, event), count in sorted(self.counts.items()):
            events.add_row(service, event, str(count))
        matches = Table(title="latest matches")
        for column in ("time", "patient_ref", "mentor", "branch"):
            matches.add_column(column)
        for row in self.matches:
            matches.add_row(*row)
        enrolments = Table(title="latest aftercare enrolments")
        for column in ("time", "patient_ref", "status", "group"):
            enrolments.add_column(column)
        for row in self.enrolments:
            enrolments.add_row(*row)
        feed = ""
        if self._feed is not None:
            f = self._feed
            feed = (
                f"simulated EHR: {f.admitted} admitted ({f.admitted_by_hl7} by HL7 over MLLP), "
                f"{f.discharged} discharged, "
                f"{f.discharges_cancelled} discharges cancelled, {f.errors} errors"
                + (f" (last: {f.last_error})" if f.errors else "")
            )
        docs = "  ".join(f"{name}: {url}/docs" for name, url in self._urls.items())
        return Group(
            Panel(
                f"{docs}\n{feed}\nCtrl-C stops everything; data stays in the data folder.",
                title="Saathi — local stack",
            ),
            events,
            matches,
            enrolments,
        )
