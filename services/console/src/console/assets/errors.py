"""What can go wrong while installing the console's browser assets, each with the next step."""


class AssetsError(Exception):
    """Base of every asset failure: the message says what failed and what to do."""


class LockError(AssetsError):
    """The vendor lock is unreadable or names a file the installer must not write."""


class FetchError(AssetsError):
    """A tarball could not be downloaded from the registry or mirror."""


class IntegrityError(AssetsError):
    """A downloaded tarball is not the one the lock pins."""


class ExtractError(AssetsError):
    """A verified tarball lacks a locked file, or holds it as something other than a file."""


class AssetsMissingError(AssetsError):
    """The vendor directory lacks files the console serves."""
