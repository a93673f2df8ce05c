"""NATS over TLS as production runs it: the server's certificate checked against the CA, the
service presenting its own certificate and its user; a plain connection is refused. The
production configuration is what its generator says, and nats-server accepts it."""

import os
import subprocess
from pathlib import Path

import nats
import pytest

from helpers.apps import FAST, running
from helpers.backends import Databases
from helpers.certs import ca_and_leaves
from matching.app import create_app
from matching.config import MatchingSettings
from saathi_stack.nats_config import production_config
from saathi_stack.nats_provision import provision
from saathi_stack.nats_server import EmbeddedNats, find_binary
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import free_port
from shared.nats_connect import tls_context
from shared.nats_permissions import USERS, authorization_block

CONFIG = Path(__file__).parents[2] / "deploy" / "nats" / "nats-server.conf"


def test_the_production_config_is_generated_and_nats_server_accepts_it(tmp_path: Path):
    assert CONFIG.read_text() == production_config(), "run: uv run saathi nats config > …"
    ca, server = ca_and_leaves(tmp_path, "server")
    text = CONFIG.read_text()
    for mounted, real in (
        ("/etc/nats/tls/tls.crt", server["server"].cert),
        ("/etc/nats/tls/tls.key", server["server"].key),
        ("/etc/nats/tls/ca.crt", ca.cert),
        ("/data/jetstream", tmp_path / "js"),
    ):
        text = text.replace(mounted, str(real))
    local = tmp_path / "nats.conf"
    local.write_text(text)
    env = {**os.environ, **{f"{u.upper()}_NATS_PASSWORD": "x" for u in USERS}}
    checked = subprocess.run(
        [str(find_binary()), "-t", "-c", str(local)], env=env, capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr.decode()


async def test_a_service_reaches_nats_over_tls_and_a_plain_connection_is_refused(
    tmp_path: Path, dbs: Databases
):
    ca, leaves = ca_and_leaves(tmp_path / "tls", "server", "matching")
    users = NatsUsers.ensure(tmp_path / "auth")
    config = tmp_path / "server.conf"
    config.write_text(
        authorization_block(users.passwords)
        + f'tls {{\n  cert_file: "{leaves["server"].cert}"\n  key_file: "{leaves["server"].key}"\n'
        f'  ca_file: "{ca.cert}"\n  verify: true\n}}\n'
    )
    server = EmbeddedNats(free_port(), tmp_path / "store", config_file=config)
    server.start()
    address = f"tls://127.0.0.1:{server.port}"
    client_tls = tls_context(
        str(ca.cert), str(leaves["matching"].cert), str(leaves["matching"].key)
    )
    try:
        await provision(users.ops_url(address), tls=client_tls)
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do: no TLS, no entry
            await nats.connect(
                users.ops_url(server.url), max_reconnect_attempts=1, allow_reconnect=False
            )
        settings = MatchingSettings(
            database_url=await dbs.url("matching"),
            nats_url=address,
            nats_user="matching",
            nats_password=users.passwords["matching"],
            nats_tls_ca_path=str(ca.cert),
            nats_tls_cert_path=str(leaves["matching"].cert),
            nats_tls_key_path=str(leaves["matching"].key),
            manage_streams=False,
            **FAST,
        )
        async with running(create_app, settings) as service:
            ready = await service.client.get("/readyz")
        assert ready.status_code == 200, ready.text
    finally:
        server.stop()
