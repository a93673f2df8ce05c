"""Command line shared by the services: `serve` (default) or `migrate`."""

import argparse
from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI

from shared.logs import configure_logging
from shared.migrations import upgrade_sync
from shared.settings import ServiceSettings
from shared.web import serve

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def service_main(
    name: str, settings_class: type[SettingsT], create_app: Callable[[SettingsT], FastAPI]
) -> None:
    """Parse the command line and run the service or its migrations."""
    parser = argparse.ArgumentParser(prog=f"saathi-{name}", description=f"Saathi {name} service")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate"])
    args = parser.parse_args()
    settings = settings_class()
    configure_logging(name, settings.log_level, settings.log_json)
    if args.command == "migrate":
        upgrade_sync(name, settings.database_url)
        print(f"{name}: database migrated to head")
        return
    serve(create_app(settings))
