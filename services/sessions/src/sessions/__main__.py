"""`saathi-sessions [serve|migrate]`: run the sessions service or apply its migrations."""

from sessions.app import create_app
from sessions.config import SessionsSettings
from shared.cli import service_main


def main() -> None:
    """Entry point of the sessions service."""
    service_main("sessions", SessionsSettings, create_app)


if __name__ == "__main__":
    main()
