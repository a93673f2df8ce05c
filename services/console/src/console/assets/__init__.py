"""The console's browser assets (htmx, its SSE extension, Noto fonts), served by the console.

They come from npm tarballs pinned in console/assets/vendor.lock.json and are installed by
`python -m console.assets` (run by `make install`); nothing is loaded from a CDN.
"""

from console.assets.errors import AssetsError, AssetsMissingError
from console.assets.install import InstallReport, install_assets, missing, require_assets
from console.assets.manifest import vendor_dir

__all__ = [
    "AssetsError",
    "AssetsMissingError",
    "InstallReport",
    "install_assets",
    "missing",
    "require_assets",
    "vendor_dir",
]
