"""`saathi-notify [serve|migrate]`: run the notify service or apply its migrations."""

from notify.app import create_app
from notify.config import NotifySettings
from shared.cli import service_main


def main() -> None:
    """Entry point of the notify service."""
    service_main("notify", NotifySettings, create_app)


if __name__ == "__main__":
    main()
