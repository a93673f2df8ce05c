"""`saathi-matching [serve|migrate]`: run the matching service or apply its migrations."""

from matching.app import create_app
from matching.config import MatchingSettings
from shared.cli import service_main


def main() -> None:
    """Entry point of the matching service."""
    service_main("matching", MatchingSettings, create_app)


if __name__ == "__main__":
    main()
