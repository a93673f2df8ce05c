"""Composition root of the dev issuer: its key, its code store and clock, its routes."""

import time
from collections.abc import Callable

from fastapi import FastAPI

from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.dev_oidc.api import router
from saathi_stack.dev_oidc.domain import CodeStore
from saathi_stack.dev_oidc.handlers import Runtime
from saathi_stack.dev_oidc.options import DevOidcOptions


def create_app(options: DevOidcOptions, clock: Callable[[], float] = time.time) -> FastAPI:
    """The dev OIDC issuer's app (the key is made in `options.issuer_dir` the first time)."""
    app = FastAPI(
        title="Saathi dev OIDC issuer",
        description="Development sign-in for the local stack: not for production.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = Runtime(
        options, DevIssuer.ensure(options.issuer_dir), CodeStore(clock), clock
    )
    app.include_router(router)
    return app
