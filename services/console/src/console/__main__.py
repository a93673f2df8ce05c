"""`saathi-console serve`: run the console."""

import argparse
import logging
import sys

import uvicorn
from pydantic import ValidationError

from console.app import create_app
from console.assets.errors import AssetsMissingError
from console.assets.install import require_assets
from console.config import ConsoleSettings
from shared.logs import configure_logging


def main() -> None:
    """Entry point of the console."""
    parser = argparse.ArgumentParser(prog="saathi-console")
    parser.add_argument("command", choices=["serve"], nargs="?", default="serve")
    parser.parse_args()
    try:
        settings = ConsoleSettings()  # from the environment
    except ValidationError as error:
        problems = [
            f"  CONSOLE_{'_'.join(str(part) for part in item['loc']).upper()}: {item['msg']}"
            for item in error.errors()
        ]
        print("error: the console's settings are incomplete:", *problems, sep="\n", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        require_assets()
    except AssetsMissingError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging("console", settings.log_level, settings.log_json)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per API call is noise
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),  # open pages' live streams
    )


if __name__ == "__main__":
    main()
