"""The services, called with the signed-in person's own token: the console never sees or does
more than the APIs allow that person. Refusals come back as readable reasons."""

import logging
from typing import Any

import httpx

from console.auth.session import Visitor

log = logging.getLogger(__name__)


class UpstreamRefused(Exception):
    """A service said no (or could not be reached); `reason` is fit to show the person."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class TokenExpired(Exception):
    """The person's token is no longer accepted: they must sign in again."""


def _reason(answer: httpx.Response) -> str:
    try:
        detail = answer.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, list):  # FastAPI validation errors
        return "; ".join(str(item.get("msg", item)) for item in detail[:3])
    return str(detail or f"the service answered {answer.status_code}")


class Upstream:
    """One HTTP client for all services (connection reuse), one call per method."""

    def __init__(self, urls: dict[str, str], timeout_s: float) -> None:
        self.urls = urls
        self.http = httpx.AsyncClient(timeout=timeout_s)

    async def close(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    async def call(
        self,
        visitor: Visitor,
        method: str,
        service: str,
        path: str,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """The service's JSON answer, or UpstreamRefused / TokenExpired."""
        clean = {key: value for key, value in (params or {}).items() if value is not None}
        try:
            answer = await self.http.request(
                method,
                self.urls[service] + path,
                params=clean,
                json=json,
                headers={"Authorization": f"Bearer {visitor.token}"},
            )
        except httpx.HTTPError as error:
            log.warning("%s unreachable: %s", service, type(error).__name__)
            raise UpstreamRefused(503, f"the {service} service is unreachable; try again") from None
        if answer.status_code == 401:
            raise TokenExpired()
        if answer.status_code >= 400:
            raise UpstreamRefused(answer.status_code, _reason(answer))
        return answer.json() if answer.content else None

    async def get(self, visitor: Visitor, service: str, path: str, **params: Any) -> Any:
        """GET a service's resource."""
        return await self.call(visitor, "GET", service, path, params=params)

    async def post(self, visitor: Visitor, service: str, path: str, body: Any = None) -> Any:
        """POST to a service."""
        return await self.call(visitor, "POST", service, path, json=body)
