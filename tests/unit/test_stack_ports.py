"""The local stack refuses a taken port with the variable to change, before starting anything."""

import socket
from pathlib import Path

import pytest

from saathi_stack.ports import free_port
from saathi_stack.stack import LocalStack, PortBusyError, StackConfig


def test_a_taken_port_is_reported_with_the_setting_to_change(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = {
            "intake": busy,
            "matching": free_port(),
            "sessions": free_port(),
            "aftercare": free_port(),
        }
        stack = LocalStack(
            StackConfig(
                data_dir=tmp_path, nats_port=free_port(), mllp_port=free_port(), ports=ports
            )
        )
        with pytest.raises(PortBusyError, match=f"port {busy} for intake .* SAATHI_INTAKE_PORT"):
            stack.check_ports()


def test_a_taken_hl7_port_names_its_setting(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = {name: free_port() for name in ("intake", "matching", "sessions", "aftercare")}
        config = StackConfig(data_dir=tmp_path, nats_port=free_port(), mllp_port=busy, ports=ports)
        with pytest.raises(PortBusyError, match="SAATHI_MLLP_PORT"):
            LocalStack(config).check_ports()
