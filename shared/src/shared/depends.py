"""FastAPI dependencies every feature router shares: the service runtime and a feature's options.

Routers are declared at module level, so what a route needs from the composition root reaches it
through `Annotated` aliases resolved per request from `app.state` (set once by `build_app`)."""

from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request

from shared.runtime import ServiceRuntime

T = TypeVar("T")


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


Runtime = Annotated[ServiceRuntime, Depends(_runtime)]
"""The service's runtime (database sessions, unit of work, broker) as the app built it."""


def options(kind: type[T]) -> Any:
    """Dependency marker giving the `kind` value registered with `build_app(options=...)`: the
    few settings a feature needs, read once in the service's `app` module.

    Use it in an alias: `EhrOptions = Annotated[EhrSettings, options(EhrSettings)]`."""

    def read(request: Request) -> T:
        registered: dict[type, object] = request.app.state.options
        try:
            return cast(T, registered[kind])
        except KeyError:
            raise LookupError(
                f"{kind.__name__} was not registered: pass it to build_app(options=[...]) in the "
                "service's app module"
            ) from None

    read.__name__ = f"options_{kind.__name__}"
    return Depends(read)
