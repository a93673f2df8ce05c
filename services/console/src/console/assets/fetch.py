"""Downloading a locked tarball and checking its SRI integrity before anything is unpacked."""

import base64
import hashlib
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Protocol

from console.assets.errors import FetchError, IntegrityError
from console.assets.lock import REGISTRY_ENV, LockedPackage

# The largest locked tarball (a font family) is about 7 MB; a response far beyond that is not it.
MAX_TARBALL_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = 30

Progress = Callable[[int, int | None], None]


class _Body(Protocol):
    def read(self, size: int, /) -> bytes: ...


def download(
    url: str,
    on_progress: Progress,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_TARBALL_BYTES,
) -> bytes:
    """The body at url (refused past max_bytes); on_progress(received, total) after each chunk."""
    request = urllib.request.Request(url, headers={"User-Agent": "saathi-console-assets"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length else None
            return _read_body(url, response, total, on_progress, max_bytes)
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url} answered HTTP {error.code} {error.reason}. {_advice()}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"could not download {url} ({reason}). {_advice()}") from error


def _read_body(
    url: str, response: _Body, total: int | None, on_progress: Progress, max_bytes: int
) -> bytes:
    chunks: list[bytes] = []
    received = 0
    while chunk := response.read(CHUNK_BYTES):
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(f"{url} sent over {max_bytes} bytes: not a locked tarball")
        chunks.append(chunk)
        on_progress(received, total)
    return b"".join(chunks)


def _advice() -> str:
    return (
        "Check that this machine reaches the npm registry (or its HTTPS proxy via https_proxy), "
        f"or set {REGISTRY_ENV} to a registry mirror it can reach, then run `make install` again."
    )


def sri_sha512(data: bytes) -> str:
    """The Subresource Integrity string npm records for a tarball: sha512-<base64 digest>."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def verify_integrity(package: LockedPackage, data: bytes) -> None:
    """Refuse a tarball whose digest is not the lock's, before a byte of it is unpacked."""
    actual = sri_sha512(data)
    if actual != package.integrity:
        raise IntegrityError(
            f"{package.label}: integrity mismatch, expected {package.integrity} "
            f"but the downloaded tarball is {actual}; nothing was written. "
            "The registry or mirror served a different file: fix the mirror, do not edit the lock."
        )
