"""The generated files under docs/events/ and how they are written or checked."""

import json
from pathlib import Path

import yaml

from saathi_stack.asyncapi.catalogue import render_catalogue, schema_path
from saathi_stack.asyncapi.document import build_document
from saathi_stack.asyncapi.model import build_catalogue

ASYNCAPI = "asyncapi.yaml"
CATALOGUE = "catalogue.md"
SCHEMAS = "schemas"
REGENERATE = "run `uv run saathi asyncapi` and commit docs/events/"


def default_folder() -> Path:
    """docs/events/ of the repository this package is in."""
    return Path(__file__).resolve().parents[5] / "docs" / "events"


def render_files() -> dict[str, str]:
    """Every generated file by its path relative to docs/events/, as the code defines it now."""
    catalogue = build_catalogue()
    document = build_document(catalogue)
    files = {
        ASYNCAPI: yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100),
        CATALOGUE: render_catalogue(catalogue),
    }
    for channel in catalogue.channels:
        schema = channel.contract.model_json_schema()
        files[schema_path(channel.subject)] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def differences(folder: Path, files: dict[str, str]) -> list[str]:
    """Generated files that are missing, stale or left over in `folder`."""
    found = []
    for name, text in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            found.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            found.append(f"{name} differs from the code")
    schemas = folder / SCHEMAS
    on_disk = sorted(schemas.glob("*.json")) if schemas.is_dir() else []
    found += [
        f"{SCHEMAS}/{path.name} is left over"
        for path in on_disk
        if f"{SCHEMAS}/{path.name}" not in files
    ]
    return found


def write(folder: Path, files: dict[str, str]) -> list[str]:
    """Write every file, remove left-over schemas; return what changed."""
    changed = differences(folder, files)
    schemas = folder / SCHEMAS
    if schemas.is_dir():
        for path in schemas.glob("*.json"):
            if f"{SCHEMAS}/{path.name}" not in files:
                path.unlink()
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return changed
