"""`saathi-aftercare [serve|migrate]`: run the aftercare service or apply its migrations."""

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from shared.cli import service_main


def main() -> None:
    """Entry point of the aftercare service."""
    service_main("aftercare", AftercareSettings, create_app)


if __name__ == "__main__":
    main()
