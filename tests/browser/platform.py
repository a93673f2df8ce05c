"""The whole platform for the browser tests: the services, the dev sign-in, the console, an SMTP
server notify e-mails through, and a drill clock the tests move to let deadlines pass."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from e2e.conftest import FAST_ENV
from helpers.mailbox import Mailbox, smtp_server
from saathi_stack.ports import free_ports
from saathi_stack.stack import SERVICES, LocalStack, StackConfig

REVIEWING = "kol-behala"
ACK_DEADLINE_S = 600  # nobody is escalated by accident; a test moves the clock instead


@dataclass
class Platform:
    """The running stack, its mailbox and its drill clock."""

    stack: LocalStack
    mailbox: Mailbox
    clock_file: Path

    @property
    def console(self) -> str:
        """The console's address."""
        return self.stack.url("console")

    def move_clock(self, seconds: float) -> None:
        """Move sessions' and notify's clocks on (deadlines pass as if that much time had)."""
        current = float(self.clock_file.read_text() or 0) if self.clock_file.exists() else 0.0
        self.clock_file.write_text(str(current + seconds))


def _config(data_dir: Path, mailbox: Mailbox, clock_file: Path) -> StackConfig:
    nats, mllp, oidc, console, *services = free_ports(4 + len(SERVICES))
    env = {f"{n.upper()}_{key}": value for n in SERVICES for key, value in FAST_ENV.items()}
    env |= {
        "SESSIONS_CRISIS_ACK_DEADLINE_S": str(ACK_DEADLINE_S),
        "SESSIONS_CRISIS_CHECK_INTERVAL_S": "0.2",
        "SESSIONS_CLOCK_OFFSET_FILE": str(clock_file),
        "NOTIFY_CLOCK_OFFSET_FILE": str(clock_file),
        "NOTIFY_SMTP_HOST": "127.0.0.1",
        "NOTIFY_SMTP_PORT": str(mailbox.port),
        "NOTIFY_LINK_SECRET": "a-browser-test-link-secret-32-bytes",
        "NOTIFY_DELIVERY_INTERVAL_S": "0.2",
        "NOTIFY_STREAM_POLL_S": "0.2",
        "CONSOLE_LOG_JSON": "false",
        "MATCHING_REVIEW_BRANCHES": f'["{REVIEWING}"]',  # a coordinator approves matches here
    }
    return StackConfig(
        data_dir=data_dir,
        nats_port=nats,
        mllp_port=mllp,
        oidc_port=oidc,
        console_port=console,
        ports=dict(zip(SERVICES, services, strict=True)),
        extra_env=env,
    )


@contextmanager
def running_platform(data_dir: Path) -> Iterator[Platform]:
    """The platform started on SQLite in `data_dir`, stopped afterwards."""
    clock_file = data_dir / "clock-offset"
    with smtp_server() as mailbox:
        stack = LocalStack(_config(data_dir, mailbox, clock_file))
        try:
            stack.start()
            yield Platform(stack, mailbox, clock_file)
        finally:
            stack.stop()
