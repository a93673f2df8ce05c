"""The documentation's examples as scripts: every fenced ```sh block of a page, in order.

Convention (docs/development.md): a ```sh block is executed, a ```text / ```bash / ```json
block is not. A `# → text` comment inside a block is an expected result: `text` must appear
in that block's output (whitespace is ignored, so pretty and compact JSON both match).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXPECT = re.compile(r"^\s*# → (.+)$", re.MULTILINE)
DEFAULT_PORTS = {"intake": 8101, "matching": 8102, "sessions": 8103, "aftercare": 8104}
MARK = "@@docs-example@@"

# Run before a page's blocks: fail on any error, and a curl that fails on an HTTP error unless
# the example prints the status itself (`-w`), as refusal examples do.
PRELUDE = """\
set -euo pipefail
curl() {
  case " $* " in
    *" -w "*) command curl -sS "$@" ;;
    *) command curl -sS --fail-with-body "$@" ;;
  esac
}
uv() { if [ "$1" = run ]; then shift; "$@"; else command uv "$@"; fi; }
"""


@dataclass
class Block:
    """One executable example."""

    page: str
    line: int
    source: str
    expected: list[str] = field(default_factory=list)


def nav_pages() -> list[str]:
    """The pages of mkdocs.yml's nav, in order (paths relative to docs/)."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    pages: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return pages


def blocks(page: str) -> list[Block]:
    """The executable blocks of one page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        source = match.group(1)
        line = text.count("\n", 0, match.start()) + 2
        found.append(Block(page, line, source, EXPECT.findall(source)))
    return found


def localise(source: str, ports: dict[str, int]) -> str:
    """The example with the documented ports replaced by the test stack's."""
    for service, port in DEFAULT_PORTS.items():
        source = source.replace(f"localhost:{port}", f"127.0.0.1:{ports[service]}")
    return source


def script(page_blocks: list[Block], ports: dict[str, int]) -> str:
    """One bash script running a page's blocks in order, each announced by a marker line."""
    parts = [PRELUDE]
    for number, block in enumerate(page_blocks):
        parts.append(f"echo '{MARK}{number}'\n{localise(block.source, ports)}\n")
    return "\n".join(parts)


def outputs(stdout: str) -> dict[int, str]:
    """Each block's output, by block number, from a page script's stdout."""
    found: dict[int, str] = {}
    current: int | None = None
    for line in stdout.splitlines():
        if line.startswith(MARK):
            current = int(line[len(MARK) :])
            found[current] = ""
        elif current is not None:
            found[current] += line + "\n"
    return found


def missing(block: Block, output: str) -> list[str]:
    """Expected results of a block that its output does not show."""
    squeezed = re.sub(r"\s+", "", output)
    return [want for want in block.expected if re.sub(r"\s+", "", want) not in squeezed]
