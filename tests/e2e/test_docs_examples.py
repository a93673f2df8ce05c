"""The curl and CLI examples of the documentation, run against the whole stack, so the docs
cannot drift from the code: every ```sh block of every page in mkdocs.yml's nav, page by page
in nav order, each page as one bash script (`set -euo pipefail`), must exit 0 and show the
results it promises (`# → …`). See docs/development.md, "The examples in these pages"."""

import asyncio
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from e2e import docs_examples
from e2e.conftest import running_stack
from helpers.backends import Databases

pytestmark = pytest.mark.e2e
PAGE_TIMEOUT_S = 60


def _tools(folder: Path) -> str:
    """PATH for the examples: this environment's scripts, and a jq stand-in if jq is missing."""
    paths = [str(Path(sys.executable).parent)]
    if shutil.which("jq") is None or os.environ.get("SAATHI_DOCS_JQ_STANDIN"):
        folder.mkdir(parents=True, exist_ok=True)
        jq = folder / "jq"
        jq.write_text(
            f"#!/bin/sh\nexec '{sys.executable}' '{Path(docs_examples.__file__).parent}/docs_jq.py'"
            ' "$@"\n',
            encoding="utf-8",
        )
        jq.chmod(jq.stat().st_mode | stat.S_IXUSR)
        paths.insert(0, str(folder))
    return os.pathsep.join([*paths, os.environ.get("PATH", "")])


def _run_page(page: str, environment: dict[str, str], ports: dict[str, int]) -> list[str]:
    """Run one page's examples; what went wrong, if anything."""
    blocks = docs_examples.blocks(page)
    if not blocks:
        return []
    try:
        done = subprocess.run(
            ["bash", "-c", docs_examples.script(blocks, ports)],
            cwd=docs_examples.ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as timeout:
        stdout = timeout.stdout if isinstance(timeout.stdout, str) else ""
        done = subprocess.CompletedProcess([], -1, stdout, f"timed out after {PAGE_TIMEOUT_S} s")
    outputs = docs_examples.outputs(done.stdout)
    problems = []
    if done.returncode != 0:
        last = max(outputs, default=0)
        block = blocks[last]
        problems.append(
            f"{page}:{block.line}: exit {done.returncode}\n{block.source}\n--- output\n"
            f"{outputs.get(last, '')[-2000:]}\n--- stderr\n{done.stderr[-2000:]}"
        )
    for number, block in enumerate(blocks):
        if number in outputs and (absent := docs_examples.missing(block, outputs[number])):
            problems.append(
                f"{page}:{block.line}: expected {absent}\n--- output\n{outputs[number][-2000:]}"
            )
    return problems


async def test_every_example_in_the_docs_runs_against_the_stack(tmp_path: Path, dbs: Databases):
    pages = docs_examples.nav_pages()
    assert any(docs_examples.blocks(page) for page in pages), "no executable examples found"
    async with running_stack(tmp_path, dbs) as stack:
        ports = dict(stack.config.ports)
        environment = {
            **os.environ,
            "PATH": _tools(tmp_path / "tools"),
            "SAATHI_DATA_DIR": str(stack.config.data_dir),
            "SAATHI_MLLP_PORT": str(stack.config.mllp_port),
            "SAATHI_NATS_URL": f"nats://127.0.0.1:{stack.config.nats_port}",
            **{f"SAATHI_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        }
        problems = []
        for page in pages:
            problems += await asyncio.to_thread(_run_page, page, environment, ports)
    assert not problems, "\n\n".join(problems)
