"""The console's asset installer against a real local HTTP registry: it unpacks only the locked
files, refuses a tarball whose integrity differs, fetches nothing when up to date, and never
writes outside static/vendor whatever the tarball's member names say."""

import io
import json
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rich.console import Console

from console.assets import AssetsMissingError, install_assets, missing, require_assets
from console.assets.errors import ExtractError, FetchError, IntegrityError, LockError
from console.assets.fetch import sri_sha512
from console.assets.lock import DEFAULT_REGISTRY, default_lock_path, load_lock, tarball_url
from saathi_stack.ports import free_port

HTMX = b"/* htmx test build */"
LICENCE = b"Zero-Clause BSD"


@dataclass
class Registry:
    """Tarballs served by path, and every path requested so far."""

    url: str
    tarballs: dict[str, bytes]
    requested: list[str] = field(default_factory=list)


@pytest.fixture
def registry() -> Iterator[Registry]:
    """A stand-in npm registry on 127.0.0.1 serving the tarballs a test puts in it."""
    served = Registry(url="", tarballs={})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requested.append(self.path)
            body = served.tarballs.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass  # the tests assert on the requests recorded, not on the log

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    served.url = f"http://127.0.0.1:{server.server_port}/"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def tarball(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A gzipped tarball with these regular files and symbolic links, in the given order."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for name, points_to in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = points_to
            archive.addfile(info)
    return buffer.getvalue()


def publish(
    registry: Registry,
    tmp_path: Path,
    data: bytes,
    files: dict[str, str],
    integrity: str | None = None,
) -> Path:
    """Serve data as htmx.org 9.9.9 and write a lock pinning it; return the lock's path."""
    path = "/htmx.org/-/htmx.org-9.9.9.tgz"
    registry.tarballs[path] = data
    lock = {
        "packages": [
            {
                "name": "htmx.org",
                "version": "9.9.9",
                "tarball": registry.url.rstrip("/") + path,
                "integrity": integrity or sri_sha512(data),
                "files": files,
            }
        ]
    }
    tmp_path.mkdir(parents=True, exist_ok=True)
    lock_path = tmp_path / "vendor.lock.json"
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    return lock_path


def install(lock_path: Path, target: Path) -> list[str]:
    """Run the installer quietly; return the packages it fetched."""
    quiet = Console(file=io.StringIO())
    return install_assets(lock_path=lock_path, target=target, output=quiet).fetched


LOCKED = {"package/dist/htmx.min.js": "htmx.min.js", "package/LICENSE": "htmx-LICENSE.txt"}


def test_only_the_locked_files_are_unpacked_under_their_names(
    registry: Registry, tmp_path: Path
) -> None:
    data = tarball(
        {"package/dist/htmx.min.js": HTMX, "package/LICENSE": LICENCE, "package/dist/x.js": b"x"}
    )
    lock_path = publish(registry, tmp_path, data, LOCKED)
    target = tmp_path / "vendor"

    assert missing(lock_path, target) == ["htmx.min.js", "htmx-LICENSE.txt"]
    assert install(lock_path, target) == ["htmx.org@9.9.9"]

    assert (target / "htmx.min.js").read_bytes() == HTMX
    assert (target / "htmx-LICENSE.txt").read_bytes() == LICENCE
    assert sorted(path.name for path in target.iterdir()) == [
        "htmx-LICENSE.txt",
        "htmx.min.js",
        "manifest.json",
    ]
    assert missing(lock_path, target) == []


def test_a_tarball_with_another_integrity_is_refused_and_nothing_is_written(
    registry: Registry, tmp_path: Path
) -> None:
    data = tarball({"package/dist/htmx.min.js": HTMX, "package/LICENSE": LICENCE})
    expected = sri_sha512(b"the tarball the lock was made from")
    lock_path = publish(registry, tmp_path, data, LOCKED, integrity=expected)
    target = tmp_path / "vendor"

    with pytest.raises(IntegrityError) as refused:
        install(lock_path, target)

    message = str(refused.value)
    assert "htmx.org@9.9.9" in message
    assert expected in message
    assert sri_sha512(data) in message
    assert not target.exists() or not any(target.iterdir())


def test_a_second_install_fetches_nothing_and_a_changed_file_is_restored(
    registry: Registry, tmp_path: Path
) -> None:
    data = tarball({"package/dist/htmx.min.js": HTMX, "package/LICENSE": LICENCE})
    lock_path = publish(registry, tmp_path, data, LOCKED)
    target = tmp_path / "vendor"

    install(lock_path, target)
    assert install(lock_path, target) == []
    assert len(registry.requested) == 1

    (target / "htmx.min.js").write_bytes(b"edited by hand")
    assert install(lock_path, target) == ["htmx.org@9.9.9"]
    assert (target / "htmx.min.js").read_bytes() == HTMX
    assert len(registry.requested) == 2


def test_member_names_in_the_tarball_never_reach_outside_the_vendor_directory(
    registry: Registry, tmp_path: Path
) -> None:
    hostile = {
        "package/dist/htmx.min.js": HTMX,
        "package/LICENSE": LICENCE,
        "../../escaped.js": b"escaped",
        "/tmp/absolute.js": b"absolute",
        "../sibling/escaped.js": b"escaped",
    }
    data = tarball(hostile, links={"package/dist/linked.js": "/etc/passwd"})
    root = tmp_path / "root"
    target = root / "static" / "vendor"
    lock_path = publish(registry, root, data, {"../../escaped.js": "escaped.js", **LOCKED})

    install(lock_path, target)

    assert (target / "escaped.js").read_bytes() == b"escaped"
    written = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.js"))
    assert written == [
        "root/static/vendor/escaped.js",
        "root/static/vendor/htmx.min.js",
    ]

    link_lock = publish(registry, root, data, {"package/dist/linked.js": "linked.js"})
    with pytest.raises(ExtractError, match="not a regular file"):
        install(link_lock, tmp_path / "links")
    assert not (tmp_path / "links" / "linked.js").exists()


@pytest.mark.parametrize("destination", ["../htmx.min.js", "/tmp/htmx.min.js", ".hidden", ""])
def test_a_lock_naming_a_path_instead_of_a_file_name_is_refused(
    registry: Registry, tmp_path: Path, destination: str
) -> None:
    data = tarball({"package/dist/htmx.min.js": HTMX})
    lock_path = publish(registry, tmp_path, data, {"package/dist/htmx.min.js": destination})

    with pytest.raises(LockError, match="not a plain file name"):
        install(lock_path, tmp_path / "vendor")
    assert registry.requested == []


def test_an_unreachable_registry_names_the_url_and_the_mirror_variable(tmp_path: Path) -> None:
    nobody = Registry(url=f"http://127.0.0.1:{free_port()}/", tarballs={})
    lock_path = publish(nobody, tmp_path, tarball({"package/dist/htmx.min.js": HTMX}), LOCKED)

    with pytest.raises(FetchError) as failed:
        install(lock_path, tmp_path / "vendor")

    assert f"{nobody.url}htmx.org/-/htmx.org-9.9.9.tgz" in str(failed.value)
    assert "SAATHI_NPM_REGISTRY" in str(failed.value)


def test_a_mirror_serves_the_registry_paths(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tarball({"package/dist/htmx.min.js": HTMX, "package/LICENSE": LICENCE})
    lock_path = publish(registry, tmp_path, data, LOCKED)
    document = json.loads(lock_path.read_text(encoding="utf-8"))
    document["packages"][0]["tarball"] = DEFAULT_REGISTRY + "htmx.org/-/htmx.org-9.9.9.tgz"
    lock_path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("SAATHI_NPM_REGISTRY", registry.url + "npm/")
    registry.tarballs["/npm/htmx.org/-/htmx.org-9.9.9.tgz"] = data
    # Checked before installing, so a broken rewrite never reaches the real registry.
    mirrored = tarball_url(load_lock(lock_path)[0], registry.url + "npm")
    assert mirrored == registry.url + "npm/htmx.org/-/htmx.org-9.9.9.tgz"

    assert install(lock_path, tmp_path / "vendor") == ["htmx.org@9.9.9"]
    assert registry.requested == ["/npm/htmx.org/-/htmx.org-9.9.9.tgz"]


def test_the_console_refuses_to_start_without_its_assets(tmp_path: Path) -> None:
    data = tarball({"package/dist/htmx.min.js": HTMX, "package/LICENSE": LICENCE})
    lock_path = publish(Registry(url="http://127.0.0.1:1/", tarballs={}), tmp_path, data, LOCKED)

    with pytest.raises(AssetsMissingError, match="run `make install`"):
        require_assets(lock_path, tmp_path / "vendor")


def test_the_real_lock_pins_every_package_by_sha512() -> None:
    packages = {package.name: package for package in load_lock(Path(_real_lock()))}

    assert set(packages) == {
        "htmx.org",
        "htmx-ext-sse",
        "@fontsource/noto-sans-bengali",
        "@fontsource/noto-sans",
    }
    assert all(package.tarball.startswith(DEFAULT_REGISTRY) for package in packages.values())
    assert "htmx.min.js" in packages["htmx.org"].files.values()


def _real_lock() -> Path:
    return default_lock_path()
