"""The vendor lock: which npm packages the console serves, pinned by version and SRI integrity."""

import json
from dataclasses import dataclass
from pathlib import Path

from console.assets.errors import LockError

DEFAULT_REGISTRY = "https://registry.npmjs.org/"
REGISTRY_ENV = "SAATHI_NPM_REGISTRY"
MANIFEST_NAME = "manifest.json"
SUPPORTED_INTEGRITY = "sha512-"


@dataclass(frozen=True)
class LockedPackage:
    """One pinned npm package and the files taken from it (path in the tarball → file name)."""

    name: str
    version: str
    tarball: str
    integrity: str
    files: dict[str, str]

    @property
    def label(self) -> str:
        """The package as npm writes it: name@version."""
        return f"{self.name}@{self.version}"


def default_lock_path() -> Path:
    """The lock shipped inside the package (console/assets/vendor.lock.json), so an installed
    console, in a wheel or an image, finds it as a checkout does."""
    return Path(__file__).resolve().parent / "vendor.lock.json"


def load_lock(path: Path) -> list[LockedPackage]:
    """Read and check the lock; every destination must be a plain file name."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        packages = [_package(entry) for entry in document["packages"]]
    except OSError as error:
        raise LockError(f"cannot read the vendor lock {path}: {error}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise LockError(f"the vendor lock {path} is malformed ({error!r}): restore it") from error
    destinations = [name for package in packages for name in package.files.values()]
    duplicates = sorted({name for name in destinations if destinations.count(name) > 1})
    if duplicates:
        raise LockError(f"the vendor lock {path} writes {duplicates} more than once")
    return packages


def _package(entry: dict[str, object]) -> LockedPackage:
    files = entry["files"]
    if not isinstance(files, dict) or not files:
        raise LockError(f"{entry['name']}: the lock lists no files to take from it")
    package = LockedPackage(
        name=str(entry["name"]),
        version=str(entry["version"]),
        tarball=str(entry["tarball"]),
        integrity=str(entry["integrity"]),
        files={str(member): str(destination) for member, destination in files.items()},
    )
    if not package.integrity.startswith(SUPPORTED_INTEGRITY):
        raise LockError(f"{package.label}: integrity must be an SRI {SUPPORTED_INTEGRITY}… value")
    for destination in package.files.values():
        _check_destination(package, destination)
    return package


def _check_destination(package: LockedPackage, destination: str) -> None:
    """A destination is one plain name inside the vendor directory: no separators, no dot-files."""
    unsafe = (
        not destination
        or destination.startswith(".")
        or "/" in destination
        or "\\" in destination
        or "\x00" in destination
        or destination == MANIFEST_NAME
    )
    if unsafe:
        raise LockError(f"{package.label}: {destination!r} is not a plain file name in vendor/")


def tarball_url(package: LockedPackage, registry: str | None) -> str:
    """The tarball's URL, moved onto a mirror when one is given (same paths as the npm registry)."""
    if not registry or not package.tarball.startswith(DEFAULT_REGISTRY):
        return package.tarball
    return registry.rstrip("/") + "/" + package.tarball.removeprefix(DEFAULT_REGISTRY)
