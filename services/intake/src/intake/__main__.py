"""`saathi-intake [serve|migrate]`: run the intake service or apply its migrations."""

from intake.app import create_app
from intake.config import IntakeSettings
from shared.cli import service_main


def main() -> None:
    """Entry point of the intake service."""
    service_main("intake", IntakeSettings, create_app)


if __name__ == "__main__":
    main()
