"""Command line shared by the services: `serve` (default), `migrate`, or `wait-for-migrations`
(until another process, e.g. a Kubernetes Job, has migrated the database)."""

import argparse
from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI

from shared.logs import configure_logging
from shared.migrations import upgrade_sync, wait_for_head
from shared.settings import ServiceSettings
from shared.web import serve

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def service_main(
    name: str, settings_class: type[SettingsT], create_app: Callable[[SettingsT], FastAPI]
) -> None:
    """Parse the command line and run the service or its migrations."""
    parser = argparse.ArgumentParser(prog=f"saathi-{name}", description=f"Saathi {name} service")
    parser.add_argument(
        "command", nargs="?", default="serve", choices=["serve", "migrate", "wait-for-migrations"]
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="wait-for-migrations: seconds before giving up"
    )
    args = parser.parse_args()
    settings = settings_class()
    configure_logging(name, settings.log_level, settings.log_json)
    if args.command == "migrate":
        upgrade_sync(name, settings.database_url)
        print(f"{name}: database migrated to head")
        return
    if args.command == "wait-for-migrations":
        try:
            wait_for_head(name, settings.database_url, args.timeout)
        except TimeoutError as error:
            raise SystemExit(f"error: {error}") from None
        print(f"{name}: database is at migration head")
        return
    serve(create_app(settings))
