"""Console composition root: the OIDC client, the cookie sealer, the services' client, the live
hub, the screens' routers and the static files."""

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from console.aftercare import api as aftercare_api
from console.alerts import api as alerts_api
from console.auth import api as auth_api
from console.auth.oidc import OidcClient
from console.auth.session import Sealer
from console.board import api as board_api
from console.config import ConsoleSettings
from console.duty import api as duty_api
from console.live import api as live_api
from console.live.hub import LiveHub
from console.mentor import api as mentor_api
from console.mine import api as mine_api
from console.ops import api as ops_api
from console.rosters import api as rosters_api
from console.supervisor import api as supervisor_api
from console.web import api as web_api
from console.web.context import ConsoleContext
from console.web.errors import install_error_pages
from console.web.headers import install_security_headers
from console.web.upstream import Upstream
from shared.http_metrics import HttpMetricsMiddleware

STATIC = Path(__file__).parent / "static"
SCREENS = [
    board_api.router,
    duty_api.router,
    rosters_api.router,
    alerts_api.router,
    aftercare_api.router,
    mentor_api.router,
    supervisor_api.router,
    ops_api.router,
]

# Every router the console serves (a test checks each route refuses without a session).
ROUTERS = [web_api.router, auth_api.router, live_api.router, mine_api.router, *SCREENS]


def build_context(settings: ConsoleSettings) -> ConsoleContext:
    """The console's parts, from its settings."""
    upstream = Upstream(settings.service_urls(), settings.upstream_timeout_s)
    secret = settings.oidc_client_secret
    oidc = OidcClient(
        settings.oidc_discovery_url,
        settings.oidc_client_id,
        secret.get_secret_value() if secret else None,
        httpx.AsyncClient(),
        settings.oidc_scope,
    )
    return ConsoleContext(
        settings=settings,
        sealer=Sealer(settings.session_secret.get_secret_value()),
        oidc=oidc,
        upstream=upstream,
        hub=LiveHub(settings),
    )


def create_app(settings: ConsoleSettings) -> FastAPI:
    """The console: every screen server-rendered, acting with the person's own token."""
    ctx = build_context(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        ctx.hub.start()
        try:
            yield
        finally:
            await ctx.hub.stop()
            await ctx.upstream.close()

    app = FastAPI(title="Saathi console", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.console = ctx
    install_error_pages(app)
    install_security_headers(app)
    app.add_middleware(HttpMetricsMiddleware, service="console")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
