"""The whole platform on one machine: embedded NATS plus each service as its own process."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.nats_provision import provision_blocking
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import port_is_free
from saathi_stack.processes import ServiceProcess

SERVICES = ("intake", "matching", "sessions", "aftercare", "notify")
# Sessions refuses to start while a crisis at some branch would alert nobody: locally a
# network-level on-call hears crises at branches without a duty roster.
LOCAL_ON_CALL = '[{"person_id": "network-on-call", "role": "clinician"}]'


class PortBusyError(RuntimeError):
    """A configured port is taken by another program."""


@dataclass
class StackConfig:
    """Where the stack keeps its data and which ports it uses (all configurable)."""

    data_dir: Path
    nats_port: int = 14222
    nats_url: str | None = None  # an external NATS instead of the embedded one
    mllp_port: int = 2575  # intake's HL7 v2 listener
    ports: Mapping[str, int] = field(
        default_factory=lambda: {
            "intake": 8101,
            "matching": 8102,
            "sessions": 8103,
            "aftercare": 8104,
            "notify": 8105,
        }
    )
    database_url: Callable[[str], str] | None = None  # service name -> URL; default SQLite
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def database_url_for(self, service: str) -> str:
        """Database URL of one service (a SQLite file under data_dir unless told otherwise)."""
        if self.database_url is not None:
            return self.database_url(service)
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{service}.db').resolve()}"


class LocalStack:
    """Starts, stops, kills and restarts the platform's processes."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.nats: EmbeddedNats | None = None
        self.nats_users: NatsUsers | None = None
        self.services: dict[str, ServiceProcess] = {}
        self.issuer = DevIssuer.ensure(config.data_dir / "dev-issuer")

    def token(self, role: str = "coordinator", branch: str | None = None) -> str:
        """A bearer token from the stack's dev issuer."""
        return self.issuer.mint(role, branch)

    def auth_headers(self, role: str = "coordinator", branch: str | None = None) -> dict[str, str]:
        """The Authorization header for a request in `role` (default: a coordinator of every
        branch, who may do most things)."""
        return {"Authorization": f"Bearer {self.token(role, branch)}"}

    @property
    def nats_address(self) -> str:
        """Where NATS is (no credentials: safe to print)."""
        if self.config.nats_url:
            return self.config.nats_url
        assert self.nats is not None
        return self.nats.url

    @property
    def nats_url(self) -> str:
        """URL for ops tools and tests: the embedded server's ops user (all permissions)."""
        if self.nats_users is None:
            return self.nats_address
        return self.nats_users.ops_url(self.nats_address)

    def check_ports(self) -> None:
        """Fail with a clear message if a port this stack needs is taken."""
        wanted = {**self.config.ports, "mllp": self.config.mllp_port}
        if not self.config.nats_url:
            wanted["nats"] = self.config.nats_port
        for name, port in wanted.items():
            if not port_is_free(port):
                variable = "SAATHI_NATS_PORT" if name == "nats" else f"SAATHI_{name.upper()}_PORT"
                raise PortBusyError(
                    f"port {port} for {name} is already in use by another program; "
                    f"choose another with {variable}=<port>"
                )

    def start(self, services: tuple[str, ...] = SERVICES, ready_timeout_s: float = 60.0) -> None:
        """Start NATS (unless external) and the services, and wait until each is ready."""
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        self.check_ports()
        if not self.config.nats_url:
            self.nats_users = NatsUsers.ensure(self.config.data_dir / "nats-auth")
            self.nats = EmbeddedNats(
                self.config.nats_port,
                self.config.data_dir / "nats",
                log_file=self.config.data_dir / "logs" / "nats.log",
                config_file=self.nats_users.config_path,
            )
            self.nats.start()
            provision_blocking(self.nats_url)
        for name in services:
            self.services[name] = self._process(name)
            self.services[name].start()
        for name in services:
            self.services[name].wait_ready(ready_timeout_s)

    def _process(self, name: str) -> ServiceProcess:
        prefix = name.upper() + "_"
        env = {
            f"{prefix}DATABASE_URL": self.config.database_url_for(name),
            f"{prefix}NATS_URL": self.nats_address,
            **(self.nats_users.service_env(name) if self.nats_users else {}),
            f"{prefix}HTTP_PORT": str(self.config.ports[name]),
            **self.issuer.env(prefix),
            **self.config.extra_env,
        }
        if name == "intake":
            env["INTAKE_MLLP_PORT"] = str(self.config.mllp_port)
        if name == "sessions":
            env.setdefault(
                "SESSIONS_FALLBACK_DUTY_CHAIN",
                os.environ.get("SESSIONS_FALLBACK_DUTY_CHAIN", LOCAL_ON_CALL),
            )
        if name == "notify":  # ack links in messages point at this stack's notify
            env.setdefault("NOTIFY_PUBLIC_URL", self.url("notify"))
            if self.nats_users:  # the console's Ops screen replays and discards dead letters
                env.update(self.nats_users.ops_env(name))
        return ServiceProcess(
            name, self.config.ports[name], env, self.config.data_dir / "logs" / f"{name}.log"
        )

    def url(self, service: str) -> str:
        """HTTP base URL of a service."""
        return f"http://127.0.0.1:{self.config.ports[service]}"

    def kill(self, service: str) -> None:
        """SIGKILL one service."""
        self.services[service].kill()

    def restart(self, service: str, ready_timeout_s: float = 60.0) -> None:
        """Start a stopped or killed service again."""
        self.services[service] = self._process(service)
        self.services[service].start()
        self.services[service].wait_ready(ready_timeout_s)

    def stop(self) -> None:
        """Stop the services (draining), then NATS."""
        for process in reversed(list(self.services.values())):
            process.stop()
        self.services.clear()
        if self.nats is not None:
            self.nats.stop()
            self.nats = None
