"""Installing the locked browser assets into the console's static/vendor directory."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from console.assets.errors import AssetsMissingError
from console.assets.extract import read_members, write_files
from console.assets.fetch import download, verify_integrity
from console.assets.lock import (
    REGISTRY_ENV,
    LockedPackage,
    default_lock_path,
    load_lock,
    tarball_url,
)
from console.assets.manifest import (
    Manifest,
    absent_files,
    is_current,
    read_manifest,
    vendor_dir,
    write_manifest,
)


@dataclass
class InstallReport:
    """Which packages were fetched and which were already in place (as name@version)."""

    target: Path
    fetched: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)


def install_assets(
    lock_path: Path | None = None,
    target: Path | None = None,
    registry: str | None = None,
    output: Console | None = None,
) -> InstallReport:
    """Fetch, verify and unpack every locked package whose files are not already in place.

    registry defaults to $SAATHI_NPM_REGISTRY (a mirror with the npm registry's paths).
    """
    packages = load_lock(lock_path or default_lock_path())
    target = target or vendor_dir()
    registry = registry or os.environ.get(REGISTRY_ENV) or None
    manifest = read_manifest(target)
    stale = [package for package in packages if not is_current(package, target, manifest)]
    report = InstallReport(
        target=target,
        fetched=[package.label for package in stale],
        up_to_date=[package.label for package in packages if package not in stale],
    )
    if stale:
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
        output = output or Console(stderr=True)
        with Progress(*columns, TransferSpeedColumn(), console=output) as bar:
            for package in stale:
                _install_package(package, target, tarball_url(package, registry), manifest, bar)
    return report


def _install_package(
    package: LockedPackage, target: Path, url: str, manifest: Manifest, bar: Progress
) -> None:
    task = bar.add_task(package.label, total=None)

    def show(received: int, total: int | None) -> None:
        bar.update(task, completed=received, total=total)

    data = download(url, show)
    verify_integrity(package, data)
    digests = write_files(target, read_members(package, data))
    for name, sha256 in digests.items():
        manifest[name] = {"package": package.label, "sha256": sha256}
    # After each package, so a later failure does not make the next run fetch this one again.
    write_manifest(target, manifest)


def missing(lock_path: Path | None = None, target: Path | None = None) -> list[str]:
    """Locked files absent from static/vendor (or from another version); empty when ready."""
    return absent_files(load_lock(lock_path or default_lock_path()), target or vendor_dir())


def require_assets(lock_path: Path | None = None, target: Path | None = None) -> None:
    """Refuse to start the console without its scripts and fonts, saying how to get them."""
    absent = missing(lock_path, target)
    if absent:
        raise AssetsMissingError(
            f"the console's browser assets are missing from {target or vendor_dir()} "
            f"({', '.join(absent)}): run `make install` (it fetches them from the npm registry, "
            f"or from the mirror in {REGISTRY_ENV})"
        )
