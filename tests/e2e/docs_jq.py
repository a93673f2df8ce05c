#!/usr/bin/env python3
"""A stand-in for the few `jq` filters the documentation uses, for machines without jq.

Supported: options -r, -e, -c; filters `.`, paths such as `.a.b`, `.[0].c`, `.a[1]`,
iteration `.[]` / `.a[]`, `length`, `keys`, and a trailing `// empty`."""

import json
import re
import sys
from typing import Any

STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\.?\[(\d*)\]")


def _step(value: Any, key: str | None, index: str | None) -> list[object]:
    if value is None:
        return [None]
    if key is not None:
        return [value.get(key) if isinstance(value, dict) else None]
    items = value if isinstance(value, list) else []
    if index == "":
        return list(items)
    at = int(index or 0)
    return [items[at] if at < len(items) else None]


def apply(expression: str, value: Any) -> list[Any]:
    """The stream of values a jq path gives (null where it is missing)."""
    expression = expression.strip()
    if expression == "length":
        return [len(value)]
    if expression == "keys":
        return [sorted(value)]
    if expression == ".":
        return [value]
    stream: list[Any] = [value]
    position = 0
    while position < len(expression):
        step = STEP.match(expression, position)
        if step is None or step.end() == position:
            raise SystemExit(f"docs_jq: unsupported filter {expression!r}")
        key, index = step.groups()
        stream = [out for item in stream for out in _step(item, key, index)]
        position = step.end()
    return stream


def main(argv: list[str]) -> int:
    """jq's exit codes: 0, or with -e 1 when the last result is null or false (4: none)."""
    options = {arg for arg in argv if arg.startswith("-")}
    filters = [arg for arg in argv if not arg.startswith("-")]
    expression = filters[0] if filters else "."
    empty_default = expression.rstrip().endswith("// empty")
    if empty_default:
        expression = expression.rsplit("//", 1)[0]
    text = sys.stdin.read()
    if not text.strip():
        return 0
    results = apply(expression, json.loads(text))
    if empty_default:
        results = [r for r in results if r not in (None, False)]
    for result in results:
        if isinstance(result, str) and "-r" in options:
            print(result)
        else:
            print(json.dumps(result, ensure_ascii=False, indent=None if "-c" in options else 2))
    if "-e" in options:
        if not results:
            return 4
        return 1 if results[-1] in (None, False) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
