"""Taking only the locked members out of a verified tarball, never using member names as paths."""

import hashlib
import io
import os
import tarfile
from pathlib import Path

from console.assets.errors import ExtractError
from console.assets.lock import LockedPackage


def read_members(package: LockedPackage, data: bytes) -> dict[str, bytes]:
    """The content of every locked member, keyed by its destination name; all or nothing."""
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member_name, destination in package.files.items():
                contents[destination] = _read_member(package, archive, member_name)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ExtractError(f"{package.label}: the tarball cannot be read ({error})") from error
    return contents


def _read_member(package: LockedPackage, archive: tarfile.TarFile, member_name: str) -> bytes:
    try:
        member = archive.getmember(member_name)
    except KeyError:
        raise ExtractError(
            f"{package.label}: the tarball has no {member_name}; fix the lock"
        ) from None
    # Links and devices are refused: only a regular file's own bytes are ever copied.
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        raise ExtractError(f"{package.label}: {member_name} is not a regular file in the tarball")
    return handle.read()


def write_files(target: Path, contents: dict[str, bytes]) -> dict[str, str]:
    """Write each file under target by name (atomically); return name → sha256."""
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    digests: dict[str, str] = {}
    for destination, content in contents.items():
        path = root / destination
        if path.parent != root:
            raise ExtractError(f"refusing to write {destination!r} outside {root}")
        partial = root / f".{destination}.partial"
        partial.write_bytes(content)
        os.replace(partial, path)
        digests[destination] = hashlib.sha256(content).hexdigest()
    return digests
