#!/usr/bin/env python3
"""A stand-in for the few `jq` filters the documentation uses, for machines without jq.

Supported: options -r, -e, -c; filters `.`, paths such as `.a.b`, `.[0].c`, `.a[1]`,
`length`, `keys` and a trailing `// empty`."""

import json
import re
import sys

STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.\[(\d+)\]")


def apply(path: str, value: object) -> object:
    """The value at a jq path (null where it is missing)."""
    if path.strip() == "length":
        return len(value)  # type: ignore[arg-type]
    if path.strip() == "keys":
        return sorted(value)  # type: ignore[arg-type]
    path = path.strip()
    if path == ".":
        return value
    position = 0
    while position < len(path):
        step = STEP.match(path, position)
        if step is None:
            raise SystemExit(f"docs_jq: unsupported filter {path!r}")
        key, index, dot_index = step.groups()
        if value is None:
            pass
        elif key is not None:
            value = value.get(key) if isinstance(value, dict) else None
        else:
            items = value if isinstance(value, list) else []
            at = int(index if index is not None else dot_index)
            value = items[at] if at < len(items) else None
        position = step.end()
    return value


def main(argv: list[str]) -> int:
    """jq's exit codes: 0, or with -e 1 when the result is null or false."""
    options = {arg for arg in argv if arg.startswith("-")}
    filters = [arg for arg in argv if not arg.startswith("-")]
    expression = filters[0] if filters else "."
    empty_default = expression.rstrip().endswith("// empty")
    expression = expression.split("//")[0] if empty_default else expression
    text = sys.stdin.read()
    if not text.strip():
        return 0
    result = apply(expression, json.loads(text))
    if result is None and empty_default:
        return 4 if "-e" in options else 0
    if isinstance(result, str) and "-r" in options:
        print(result)
    else:
        print(json.dumps(result, ensure_ascii=False, indent=None if "-c" in options else 2))
    return 1 if "-e" in options and result in (None, False) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
