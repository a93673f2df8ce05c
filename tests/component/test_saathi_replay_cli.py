"""`saathi hl7 replay` against a running intake: progress, summary, exit code, no doubling."""

import asyncio
import os
import sys
from pathlib import Path

from helpers.hl7 import corpus
from helpers.intake import mllp_port


async def run_cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "saathi_stack.saathi_cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, output.decode()


def batch_file(tmp_path: Path) -> Path:
    """A FHS/BHS batch file: a whole stay plus one message a person has to fix."""
    names = [
        "a01_v231_crlf_zseg.hl7",
        "a02_v25_ward.hl7",
        "bad_missing_pid3.hl7",
        "a03_v231_discharge.hl7",
    ]
    body = b"".join(corpus(name).rstrip(b"\r\n") + b"\r\n" for name in names)
    path = tmp_path / "backfill.hl7"
    path.write_bytes(b"FHS|^~\\&|EHR\r\nBHS|^~\\&|EHR\r\n" + body + b"BTS|4\r\nFTS|1\r\n")
    return path


async def test_replay_reports_each_answer_and_a_second_run_changes_nothing(intake, tmp_path):
    path = batch_file(tmp_path)
    port = str(mllp_port(intake.runtime))

    code, output = await run_cli("hl7", "replay", str(path), "--port", port)
    assert code == 1, output  # one message was refused
    assert "AA" in output and "AE: PID-3 (patient identifier list) is required" in output
    assert "backfill.hl7#3 (MSH-10 SLK000901)" in output
    [episode] = (await intake.client.get("/episodes")).json()
    assert (episode["status"], episode["ward"], episode["version"]) == ("discharged", "W5", 3)

    again, _ = await run_cli("hl7", "replay", str(path), "--port", port)
    assert again == 1
    [same] = (await intake.client.get("/episodes")).json()
    assert same["version"] == 3


async def test_replay_says_what_to_do_when_intake_is_not_listening(tmp_path):
    path = batch_file(tmp_path)
    code, output = await run_cli("hl7", "replay", str(path), "--port", "1", "--timeout", "1")
    assert code == 2 and "make run" in output
