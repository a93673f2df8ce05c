"""`python -m saathi_stack.dev_oidc serve`: the dev issuer on 127.0.0.1, set by SAATHI_OIDC_*."""

import argparse
import logging

import uvicorn

from saathi_stack.dev_oidc.app import create_app
from saathi_stack.dev_oidc.options import DevOidcOptions


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m saathi_stack.dev_oidc", description=__doc__)
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    options = DevOidcOptions.from_env()
    # Query strings carry codes and state: keep uvicorn's access log (request lines) off.
    uvicorn.run(create_app(options), host="127.0.0.1", port=options.port, access_log=False)


if __name__ == "__main__":
    main()
