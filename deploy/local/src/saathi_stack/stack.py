"""The whole platform on one machine: embedded NATS plus each service as its own process."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from saathi_stack.console_env import console_env
from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.dev_oidc.options import CONSOLE_REDIRECT_URI
from saathi_stack.nats_provision import provision_blocking
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import port_is_free
from saathi_stack.processes import ServiceProcess
from shared.nats_permissions import CONSOLE_USER

SERVICES = ("intake", "matching", "sessions", "aftercare", "notify")
# Sessions refuses to start while a crisis at some branch would alert nobody: locally a
# network-level on-call hears crises at branches without a duty roster.
LOCAL_ON_CALL = '[{"person_id": "network-on-call", "role": "clinician"}]'
DEV_OIDC = "dev-oidc"
CONSOLE = "console"


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
    # The dev OIDC issuer (sign-in for the console): `saathi-stack run` sets 8100; None: no
    # issuer process (tests and benchmarks that only call the APIs with minted tokens).
    oidc_port: int | None = None
    oidc_redirect_uris: tuple[str, ...] = (CONSOLE_REDIRECT_URI,)
    # The web console (needs the dev OIDC issuer); None: no console process.
    console_port: int | None = None
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
        self.oidc: ServiceProcess | None = None
        self.console: ServiceProcess | None = None
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
        if self.config.oidc_port is not None:
            wanted[DEV_OIDC] = self.config.oidc_port
        if self.config.console_port is not None:
            wanted[CONSOLE] = self.config.console_port
        if not self.config.nats_url:
            wanted["nats"] = self.config.nats_port
        for name, port in wanted.items():
            if not port_is_free(port):
                variable = "SAATHI_OIDC_PORT" if name == DEV_OIDC else f"SAATHI_{name.upper()}_PORT"
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
        if self.config.oidc_port is not None:
            self.oidc = self._oidc_process()
            self.oidc.start()
        for name in services:
            self.services[name] = self._process(name)
            self.services[name].start()
        if self.oidc is not None:
            self.oidc.wait_ready(ready_timeout_s)
        for name in services:
            self.services[name].wait_ready(ready_timeout_s)
        if self.config.console_port is not None:
            self.console = self._console_process()
            self.console.start()
            self.console.wait_ready(ready_timeout_s)

    def _oidc_process(self) -> ServiceProcess:
        assert self.config.oidc_port is not None
        env = {
            "SAATHI_OIDC_PORT": str(self.config.oidc_port),
            "SAATHI_OIDC_PUBLIC_URL": self.oidc_url,
            "SAATHI_OIDC_ISSUER_DIR": str(self.config.data_dir / "dev-issuer"),
            "SAATHI_OIDC_REDIRECT_URIS": ",".join(self._redirect_uris()),
        }
        log_file = self.config.data_dir / "logs" / f"{DEV_OIDC}.log"
        return ServiceProcess(
            DEV_OIDC, self.config.oidc_port, env, log_file, module="saathi_stack.dev_oidc"
        )

    def _redirect_uris(self) -> list[str]:
        uris = list(self.config.oidc_redirect_uris)
        if self.config.console_port is not None:
            uris.append(f"{self.url(CONSOLE)}/auth/callback")
        return sorted(set(uris))

    def _console_process(self) -> ServiceProcess:
        assert self.config.console_port is not None
        env = console_env(
            self.config.data_dir,
            self.config.console_port,
            self.oidc_url,
            {name: self.url(name) for name in self.config.ports},
            self.nats_address,
            self.nats_users.passwords.get(CONSOLE_USER) if self.nats_users else None,
        )
        env.update(self.issuer.env("CONSOLE_"))
        env.update(
            {
                key: value
                for key, value in self.config.extra_env.items()
                if key.startswith("CONSOLE_")
            }
        )
        log_file = self.config.data_dir / "logs" / f"{CONSOLE}.log"
        return ServiceProcess(CONSOLE, self.config.console_port, env, log_file)

    @property
    def oidc_url(self) -> str:
        """Base URL of the dev OIDC issuer; discovery is at
        `<oidc_url>/.well-known/openid-configuration`."""
        if self.config.oidc_port is None:
            raise LookupError("this stack runs no dev OIDC issuer (StackConfig.oidc_port)")
        return f"http://127.0.0.1:{self.config.oidc_port}"

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
        """HTTP base URL of a service (or of the dev OIDC issuer, `dev-oidc`)."""
        if service == DEV_OIDC:
            return self.oidc_url
        if service == CONSOLE and self.config.console_port is not None:
            return f"http://127.0.0.1:{self.config.console_port}"
        return f"http://127.0.0.1:{self.config.ports[service]}"

    def kill(self, service: str) -> None:
        """SIGKILL one service."""
        self.services[service].kill()

    def restart(self, service: str, ready_timeout_s: float | None = 60.0) -> None:
        """Start a stopped or killed service again (None: do not wait until it is ready, as
        for a service catching up a backlog, which answers /readyz late)."""
        self.services[service] = self._process(service)
        self.services[service].start()
        if ready_timeout_s is not None:
            self.services[service].wait_ready(ready_timeout_s)

    def stop(self) -> None:
        """Stop the console, the services (draining), the issuer, then NATS."""
        if self.console is not None:
            self.console.stop()
            self.console = None
        for process in reversed(list(self.services.values())):
            process.stop()
        self.services.clear()
        if self.oidc is not None:
            self.oidc.stop()
            self.oidc = None
        if self.nats is not None:
            self.nats.stop()
            self.nats = None
