"""MLLP senders are allow-listed by source address as well as MSH-4, and the listener can
speak TLS only (a plain connection gets nothing), on a real socket into a real intake."""

import ssl

import pytest

from helpers.apps import FAST, running
from helpers.backends import Databases
from helpers.certs import self_signed
from helpers.hl7 import corpus
from helpers.intake import mllp_port
from intake.app import create_app
from intake.config import DEFAULT_SENDERS, Hl7Sender, IntakeSettings
from intake.hl7.client import MllpClient, ack_code

MESSAGE = "a01_v231_crlf_zseg.hl7"  # from SALTLAKE


async def acks(port: int, tls: ssl.SSLContext | None = None) -> list[str]:
    async with MllpClient("127.0.0.1", port, timeout_s=5, tls=tls) as client:
        return await client.send(corpus(MESSAGE))


@pytest.mark.parametrize(
    ("networks", "expected"), [(["10.20.0.0/16"], "AR"), (["127.0.0.0/8", "10.20.0.0/16"], "AA")]
)
async def test_a_sender_is_accepted_only_from_its_addresses(
    clean_nats, dbs: Databases, networks, expected
):
    senders = {
        **DEFAULT_SENDERS,
        "SALTLAKE": Hl7Sender.model_validate(
            {**DEFAULT_SENDERS["SALTLAKE"].model_dump(), "addresses": networks}
        ),
    }
    settings = IntakeSettings(
        database_url=await dbs.url("intake"), nats_url=clean_nats, hl7_senders=senders, **FAST
    )
    async with running(create_app, settings) as intake:
        [ack] = await acks(mllp_port(intake.runtime))
        episodes = (await intake.client.get("/episodes")).json()

    assert ack_code(ack) == expected
    assert len(episodes) == (1 if expected == "AA" else 0)
    if expected == "AR":
        assert "may not send from this address" in ack


async def test_with_tls_a_sender_is_answered_and_a_plain_connection_is_not(
    clean_nats, dbs: Databases, tmp_path
):
    issued = self_signed(tmp_path)
    cert, key = issued.cert, issued.key
    settings = IntakeSettings(
        database_url=await dbs.url("intake"),
        nats_url=clean_nats,
        mllp_tls_cert_path=str(cert),
        mllp_tls_key_path=str(key),
        **FAST,
    )
    trusting = ssl.create_default_context(cafile=str(cert))
    async with running(create_app, settings) as intake:
        port = mllp_port(intake.runtime)
        [ack] = await acks(port, trusting)
        with pytest.raises((TimeoutError, ConnectionError, OSError, EOFError)):
            await acks(port)

    assert ack_code(ack) == "AA"
