"""The record of what static/vendor/ holds, so a second install fetches nothing."""

import hashlib
import json
from pathlib import Path

import console
from console.assets.lock import MANIFEST_NAME, LockedPackage

Manifest = dict[str, dict[str, str]]


def vendor_dir() -> Path:
    """Where the console serves vendored scripts, fonts and licences from."""
    return Path(console.__file__).resolve().parent / "static" / "vendor"


def read_manifest(target: Path) -> Manifest:
    """File name → {package, sha256} as last installed; empty when absent or unreadable."""
    try:
        document = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = document["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_manifest(target: Path, files: Manifest) -> None:
    """Record the installed files (written last, so it never claims a file not yet in place)."""
    document = {"generated_by": "python -m console.assets", "files": dict(sorted(files.items()))}
    partial = target / f".{MANIFEST_NAME}.partial"
    partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    partial.replace(target / MANIFEST_NAME)


def is_current(package: LockedPackage, target: Path, manifest: Manifest) -> bool:
    """Every file of the package is on disk, from this version, with the recorded sha256."""
    for destination in package.files.values():
        entry = manifest.get(destination)
        path = target / destination
        if not entry or entry.get("package") != package.label or not path.is_file():
            return False
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            return False
    return True


def absent_files(packages: list[LockedPackage], target: Path) -> list[str]:
    """Locked files not on disk or installed from another version (no hashing: cheap at start)."""
    manifest = read_manifest(target)
    return [
        destination
        for package in packages
        for destination in package.files.values()
        if not (target / destination).is_file()
        or manifest.get(destination, {}).get("package") != package.label
    ]
